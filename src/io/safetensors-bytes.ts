/**
 * Named tensors in the safetensors format (the one PyTorch and Hugging Face use), so weights
 * move between sori and PyTorch with `safetensors.torch.load_file`.
 *
 * Layout: 8-byte little-endian header length N, N bytes of JSON
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__: { string: string } }`,
 * then the raw little-endian data. sori writes F32 and I32.
 * Bytes in, bytes out (no files): runs in a browser as in Node; safetensors.ts reads and writes files.
 */
import * as tf from '@tensorflow/tfjs';
import { parseJson } from './json.ts';

const DTYPES = { F32: 'float32', I32: 'int32' } as const;
type StDtype = keyof typeof DTYPES;

/** Encode named tensors (float32 or int32) and string metadata as safetensors bytes. */
export function encodeSafetensors(
  tensors: Record<string, tf.Tensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    let dtype: StDtype;
    if (t.dtype === 'float32') dtype = 'F32';
    else if (t.dtype === 'int32') dtype = 'I32';
    else throw new Error(`safetensors: tensor '${name}' has dtype ${t.dtype}; only float32 and int32 are written`);
    const values = t.dataSync() as Float32Array | Int32Array;
    const bytes = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // pad so the data starts 8-byte aligned
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A header entry: dtype, shape and the byte range of the data. */
type Entry = { name: string; dtype: StDtype; shape: number[]; begin: number; end: number };

/** The largest header read (100 MB, as the safetensors reference implementation). */
const MAX_HEADER_BYTES = 100_000_000;

/**
 * Check a parsed header against the data size: known dtypes, shapes of non-negative integers,
 * offsets in range, each tensor's byte length = 4 · its element count, and the tensors covering
 * the data exactly once (contiguous, not overlapping). Returns the entries in file order.
 */
function checkHeader(header: unknown, dataBytes: number, source: string): { entries: Entry[]; metadata: Record<string, string> } {
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new Error(`${source}: the header is not a JSON object`);
  const entries: Entry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, e] of Object.entries(header as Record<string, any>)) {
    if (name === '__metadata__') {
      if (typeof e !== 'object' || e === null || Object.values(e).some((v) => typeof v !== 'string')) {
        throw new Error(`${source}: __metadata__ must map names to strings`);
      }
      metadata = e;
      continue;
    }
    const field = `${source}: tensor '${name}'`;
    if (typeof e !== 'object' || e === null) throw new Error(`${field}: the entry is not an object`);
    if (!(typeof e.dtype === 'string' && e.dtype in DTYPES)) throw new Error(`${field}: dtype ${JSON.stringify(e.dtype)} is not one of ${Object.keys(DTYPES).join(', ')}`);
    if (!Array.isArray(e.shape) || !e.shape.every((d: unknown) => Number.isSafeInteger(d) && (d as number) >= 0)) {
      throw new Error(`${field}: shape must be a list of non-negative integers, got ${JSON.stringify(e.shape)}`);
    }
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o: unknown) => Number.isSafeInteger(o) && (o as number) >= 0)) {
      throw new Error(`${field}: data_offsets must be two non-negative integers, got ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataBytes) throw new Error(`${field}: data_offsets [${begin}, ${end}] lie outside the ${dataBytes} data bytes`);
    const size = (e.shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== 4 * size) throw new Error(`${field}: shape [${e.shape}] needs ${4 * size} bytes, data_offsets give ${end - begin}`);
    entries.push({ name, dtype: e.dtype, shape: e.shape, begin, end });
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    if (e.begin !== at) {
      throw new Error(`${source}: tensor '${e.name}' starts at byte ${e.begin}, expected ${at} (tensors must cover the data contiguously without overlapping)`);
    }
    at = e.end;
  }
  if (at !== dataBytes) throw new Error(`${source}: the tensors cover ${at} of the ${dataBytes} data bytes`);
  return { entries, metadata };
}

/**
 * Decode safetensors bytes; `source` names the file in errors. The header is checked (see
 * checkHeader) and float32 values must be finite: a NaN or Inf weight is named with its index.
 * On any error no tensor is left allocated.
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  source = 'safetensors',
): { tensors: Record<string, tf.Tensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new Error(`${source}: too short to be a safetensors file (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(Math.min(bytes.length - 8, MAX_HEADER_BYTES))) {
    throw new Error(`${source}: header length ${n} runs past the end of the file (${bytes.length} bytes) or over ${MAX_HEADER_BYTES}`);
  }
  const headerLength = Number(n);
  const header = parseJson(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)), `${source}: the header`);
  const data = bytes.subarray(8 + headerLength);
  const { entries, metadata } = checkHeader(header, data.length, source);
  const tensors: Record<string, tf.Tensor> = {};
  try {
    for (const { name, dtype, shape, begin, end } of entries) {
      const raw = new Uint8Array(data.subarray(begin, end)); // a copy, aligned for the typed array view
      const values = dtype === 'F32' ? new Float32Array(raw.buffer) : new Int32Array(raw.buffer);
      if (dtype === 'F32') {
        const bad = values.findIndex((v) => !Number.isFinite(v));
        if (bad >= 0) throw new Error(`${source}: tensor '${name}' holds ${values[bad]} at flat index ${bad}`);
      }
      tensors[name] = tf.tensor(values, shape, DTYPES[dtype]);
    }
  } catch (err) {
    tf.dispose(Object.values(tensors));
    throw err;
  }
  return { tensors, metadata };
}
