/**
 * WAV decoding: the RIFF container is checked here (so that every error names the file and what is
 * wrong), and the samples are decoded by `wav-decoder`.
 *
 * A RIFF/WAVE file is a list of chunks `[id: 4 bytes][size: uint32 LE][size bytes][pad to even]`
 * after the 12-byte header `RIFF <size> WAVE`. We need the `fmt ` chunk (encoding, channels, rate,
 * block align, bits per sample) and the `data` chunk (interleaved frames of `blockAlign` bytes).
 *
 * wav-decoder reads only format tags 1 (PCM) and 3 (IEEE float), skips chunks without their pad
 * byte and silently shortens a truncated data chunk; so we hand it a canonical file rebuilt from
 * the two chunks we validated (WAVE_FORMAT_EXTENSIBLE is rewritten to its PCM/float sub-format).
 */
import wavDecoder from 'wav-decoder';

/** Decoded audio: one Float32Array per channel, each of length N (samples per channel), in [-1, 1]. */
export interface DecodedWav {
  sampleRate: number;
  /** channels[c] : [N] */
  channels: Float32Array[];
  /** 'pcm' (integer) or 'float', and the bits per sample as stored. */
  encoding: 'pcm' | 'float';
  bitsPerSample: number;
}

const FORMAT_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'μ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0055: 'MPEG layer 3',
};
const PCM = 0x0001;
const FLOAT = 0x0003;
const EXTENSIBLE = 0xfffe;

function fail(name: string, what: string): never {
  throw new Error(`${name}: ${what}`);
}

function fourCC(view: DataView, at: number): string {
  let s = '';
  for (let i = 0; i < 4; i++) s += String.fromCharCode(view.getUint8(at + i));
  return s;
}

/**
 * Decode a WAV file held in memory. `name` (a path or a label) is put in every error.
 * Accepts PCM 8 (unsigned), 16, 24, 32-bit and IEEE float 32/64-bit, any channel count, any rate
 * (loadAudio then limits rates to what it resamples); integer samples are scaled by 1/2^(bits−1)
 * (so 16-bit x/32768), 8-bit by (x − 128)/128. Float samples must be finite and within ±1000:
 * a NaN, Inf or 1e30 is named with its channel and index.
 */
export function decodeWav(bytes: Uint8Array, name: string): DecodedWav {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || fourCC(view, 0) !== 'RIFF' || fourCC(view, 8) !== 'WAVE') {
    const what = bytes.byteLength >= 4 ? `starts with ${JSON.stringify(fourCC(view, 0))}` : `${bytes.byteLength} bytes`;
    fail(name, `not a RIFF/WAVE file (${what})`);
  }
  let fmt: { tag: number; channels: number; sampleRate: number; blockAlign: number; bits: number } | null = null;
  let data: { offset: number; size: number } | null = null;
  let at = 12;
  while (at + 8 <= bytes.byteLength) {
    const id = fourCC(view, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > bytes.byteLength) fail(name, `fmt chunk of ${size} bytes is truncated or too short`);
      let tag = view.getUint16(body, true);
      if (tag === EXTENSIBLE) {
        if (size < 40) fail(name, `WAVE_FORMAT_EXTENSIBLE fmt chunk of ${size} bytes is too short`);
        tag = view.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      fmt = {
        tag,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        blockAlign: view.getUint16(body + 12, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (fmt === null) fail(name, 'data chunk comes before the fmt chunk');
      if (body + size > bytes.byteLength) {
        fail(name, `truncated data chunk: header says ${size} bytes, file holds ${bytes.byteLength - body}`);
      }
      data = { offset: body, size };
      break;
    }
    at = body + size + (size & 1);
  }
  if (fmt === null) fail(name, 'no fmt chunk');
  if (data === null) fail(name, 'no data chunk');
  if (fmt.tag !== PCM && fmt.tag !== FLOAT) {
    const what = FORMAT_NAMES[fmt.tag] ?? `format tag 0x${fmt.tag.toString(16).padStart(4, '0')}`;
    fail(name, `cannot read ${what} encoding (only PCM integer and IEEE float)`);
  }
  if (fmt.channels === 0) fail(name, 'zero channels');
  if (fmt.sampleRate === 0) fail(name, 'sample rate 0');
  const okBits = fmt.tag === PCM ? [8, 16, 24, 32] : [32, 64];
  if (!okBits.includes(fmt.bits)) {
    fail(name, `cannot read ${fmt.bits}-bit ${fmt.tag === PCM ? 'PCM' : 'float'} samples`);
  }
  if (fmt.blockAlign !== (fmt.channels * fmt.bits) / 8) {
    fail(name, `block align ${fmt.blockAlign} does not match ${fmt.channels} channels × ${fmt.bits} bits`);
  }
  if (data.size % fmt.blockAlign !== 0) {
    fail(name, `truncated data chunk: ${data.size} bytes is not a whole number of ${fmt.blockAlign}-byte frames`);
  }

  // Canonical 44-byte header + the data, for wav-decoder.
  const canonical = new Uint8Array(44 + data.size);
  const out = new DataView(canonical.buffer);
  const ascii = (s: string, o: number) => {
    for (let i = 0; i < 4; i++) out.setUint8(o + i, s.charCodeAt(i));
  };
  ascii('RIFF', 0);
  out.setUint32(4, 36 + data.size, true);
  ascii('WAVE', 8);
  ascii('fmt ', 12);
  out.setUint32(16, 16, true);
  out.setUint16(20, fmt.tag, true);
  out.setUint16(22, fmt.channels, true);
  out.setUint32(24, fmt.sampleRate, true);
  out.setUint32(28, fmt.sampleRate * fmt.blockAlign, true);
  out.setUint16(32, fmt.blockAlign, true);
  out.setUint16(34, fmt.bits, true);
  ascii('data', 36);
  out.setUint32(40, data.size, true);
  canonical.set(bytes.subarray(data.offset, data.offset + data.size), 44);

  // symmetric: integers scale by 1/2^(bits−1) exactly (16-bit x/32768, as Kaldi and torchaudio);
  // 8-bit keeps wav-decoder's (x − 128)/128 for negatives, /127 for positives.
  const symmetric = fmt.bits !== 8;
  const decoded = wavDecoder.decode.sync(canonical.buffer, { symmetric });
  if (fmt.tag === FLOAT) checkFloatSamples(decoded.channelData, name);
  return {
    sampleRate: decoded.sampleRate,
    channels: decoded.channelData,
    encoding: fmt.tag === PCM ? 'pcm' : 'float',
    bitsPerSample: fmt.bits,
  };
}

/** The largest magnitude a float sample may have: 1000 (60 dB above full scale). */
export const MAX_FLOAT_SAMPLE = 1000;

/**
 * Float WAVs can hold NaN, ±Inf or absurd values (1e30) that would turn features into constants
 * or NaN and give an empty transcript with no error: refuse them, naming the file, channel and
 * sample index (integer PCM cannot hold such values).
 */
function checkFloatSamples(channels: Float32Array[], name: string): void {
  channels.forEach((ch, c) => {
    for (let n = 0; n < ch.length; n++) {
      const v = ch[n];
      if (!(Math.abs(v) <= MAX_FLOAT_SAMPLE)) {
        const what = Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? `${v}, beyond ±${MAX_FLOAT_SAMPLE}` : String(v);
        fail(name, `sample ${n} of channel ${c} is ${what}: float samples must be finite and within ±${MAX_FLOAT_SAMPLE}`);
      }
    }
  });
}

/** Average the channels: mono[n] = (1/C) Σ_c channels[c][n].  [C][N] → [N] */
export function mixToMono(channels: Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0];
  const N = channels[0].length;
  const mono = new Float32Array(N);
  for (const ch of channels) for (let n = 0; n < N; n++) mono[n] += ch[n];
  const inv = 1 / channels.length;
  for (let n = 0; n < N; n++) mono[n] *= inv;
  return mono;
}
