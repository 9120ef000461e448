/**
 * Band-limited resampling: sori's polyphase windowed-sinc resampler (sinc-resample.ts, WebAssembly
 * SIMD; 'kaiser', the default, and 'hann', torchaudio's kernel), or libsamplerate ('best',
 * 'medium', 'fastest').
 *
 * libsamplerate (Erik de Castro Lopo's Secret Rabbit Code), through
 * @alexanderolsen/libsamplerate-js. The package ships the C library compiled by Emscripten to
 * JavaScript (wasm2js), inside its one .js file: nothing is fetched, so it works offline and in
 * the browser alike. That file is 2 MB, so it is imported on the first resampling only (in the
 * browser bundle it is a chunk of its own beside sori.js).
 *
 * The converters are windowed-sinc interpolators: y[m] = Σ_n x[n] · h(m·rateIn/rateOut − n), with
 * h a low-pass kernel cut at min(rateIn, rateOut)/2, so tones above the new Nyquist are removed
 * rather than aliased (linear interpolation would fold them back).
 */
import { checkKeys } from '../check.ts';
import {
  HANN_KERNEL,
  KAISER_KERNEL,
  MAX_TABLE_TAPS,
  cachedPolyphaseTable,
  polyphaseTableSize,
  sincResample,
  type SincKernel,
} from './sinc-resample.ts';

/**
 * 'kaiser' (default): sori's resampler, Kaiser window β = 12.3, 26 zero crossings per side, cut at
 *   0.95 × the lower Nyquist; at 22.05 → 16 kHz tones up to 0.8 × Nyquist come out at 131 dB SNR
 *   and tones above 1.1 × Nyquist 125 dB down (libsamplerate 'medium': 118 dB and 123 dB).
 * 'hann': sori's resampler with torchaudio.functional.resample's default kernel (Hann, 6 zero
 *   crossings, rolloff 0.99): the same output as torchaudio (≈ 105 dB SNR), but tones above the
 *   new Nyquist only ≈ 21 dB down.
 * 'best', 'medium', 'fastest': libsamplerate's sinc converters, 97%, 90% and 80% bandwidth.
 * 'kaiser' and 'hann' hand rate pairs whose reduced ratio would need a table of more than 1M taps
 * (a gcd below about 100, e.g. 44101 → 16000) to libsamplerate 'best'.
 * (Figures: test/fixtures/audio/make_resample_fixtures.py and README's resampling section.)
 */
export type ResampleQuality = 'kaiser' | 'hann' | 'best' | 'medium' | 'fastest';
export const RESAMPLE_QUALITIES: readonly ResampleQuality[] = ['kaiser', 'hann', 'best', 'medium', 'fastest'];

type LibsamplerateQuality = 'best' | 'medium' | 'fastest';
const CONVERTER: Record<LibsamplerateQuality, 0 | 1 | 2> = { best: 0, medium: 1, fastest: 2 };

/** sori's kernels by quality name. */
const SINC_KERNELS: Partial<Record<ResampleQuality, SincKernel>> = {
  kaiser: KAISER_KERNEL,
  hann: HANN_KERNEL,
};

export interface ResampleOptions {
  /** Resampler; default 'kaiser'. */
  quality?: ResampleQuality;
}

/**
 * Resample mono audio from `rateIn` to `rateOut` Hz.
 * samples: [N] → result: [⌈N · rateOut / rateIn⌉] ('kaiser', 'hann', as torchaudio; libsamplerate
 * may end one sample short). Returns the input itself when the rates are equal. Samples must be
 * finite (the error names the first that is not).
 */
export async function resample(
  samples: Float32Array,
  rateIn: number,
  rateOut: number,
  options: ResampleOptions = {},
): Promise<Float32Array> {
  checkKeys(options, ['quality'], 'resample options');
  const quality = options.quality ?? 'kaiser';
  if (!RESAMPLE_QUALITIES.includes(quality)) {
    throw new Error(`resample: quality must be one of ${RESAMPLE_QUALITIES.join(', ')}, got '${quality}'`);
  }
  for (const [name, rate] of [['rateIn', rateIn], ['rateOut', rateOut]] as const) {
    if (!Number.isInteger(rate) || rate < 1 || rate > 192000) {
      throw new Error(`resample: ${name} must be an integer in [1, 192000] Hz, got ${rate}`);
    }
  }
  if (rateIn === rateOut) return samples;
  if (samples.length === 0) return new Float32Array(0);
  const kernel = SINC_KERNELS[quality];
  // Rates with a small gcd (44101 → 16000) need one phase per output sample of the reduced ratio:
  // past MAX_TABLE_TAPS, libsamplerate 'best' (which interpolates its kernel) does the work.
  if (kernel && polyphaseTableSize(rateIn, rateOut, kernel) <= MAX_TABLE_TAPS) {
    return sincResample(samples, cachedPolyphaseTable(rateIn, rateOut, kernel)); // checks the samples
  }
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i])) throw new Error(`resample: samples[${i}] must be finite, got ${samples[i]}`);
  }
  const src = await converter(kernel ? 'best' : (quality as LibsamplerateQuality));
  // The setters re-initialise the converter state (src_delete + src_new), so nothing carries over
  // from the previous call; there is no await between here and the end of simple().
  src.inputSampleRate = rateIn;
  src.outputSampleRate = rateOut;
  return src.simple(samples);
}

type LibSamplerate = typeof import('@alexanderolsen/libsamplerate-js');
type Converter = Awaited<ReturnType<LibSamplerate['create']>>;
let library: Promise<LibSamplerate> | undefined;
const converters = new Map<LibsamplerateQuality, Promise<Converter>>();

/**
 * One converter per quality, kept for the life of the process: libsamplerate-js instantiates a
 * fresh copy of the compiled library (with its own multi-megabyte heap) on every create(), which
 * costs more than resampling a short utterance.
 */
function converter(quality: LibsamplerateQuality): Promise<Converter> {
  let c = converters.get(quality);
  if (!c) {
    library ??= import('@alexanderolsen/libsamplerate-js').then(
      (m) => (m as { default?: LibSamplerate }).default ?? m, // CommonJS: its exports are `default`
      (err: Error) => {
        library = undefined;
        throw new Error(
          `the resampler (libsamplerate-js) could not be loaded: ${err.message}; in a browser it is ` +
            `libsamplerate.js beside sori.js (npm run build writes it; the npm package leaves it out for size)`,
        );
      },
    );
    c = library
      .then((lib) => lib.create(1, 16000, 16000, { converterType: CONVERTER[quality] }))
      .catch((err: Error) => {
        converters.delete(quality); // try again next time
        throw err;
      });
    converters.set(quality, c);
  }
  return c;
}
