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

/** Decode safetensors bytes; `source` names the file in errors. */
export function decodeSafetensors(
  bytes: Uint8Array,
  source = 'safetensors',
): { tensors: Record<string, tf.Tensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new Error(`${source}: too short to be a safetensors file (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length) throw new Error(`${source}: header length ${n} runs past the end of the file`);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const data = bytes.subarray(8 + n);
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, entry] of Object.entries<any>(header)) {
    if (name === '__metadata__') continue;
    const dtype = entry.dtype as StDtype;
    if (!(dtype in DTYPES)) throw new Error(`${source}: tensor '${name}' has unsupported dtype ${entry.dtype}`);
    const [begin, end] = entry.data_offsets as [number, number];
    const raw = new Uint8Array(data.subarray(begin, end)); // a copy, aligned for the typed array view
    const values = dtype === 'F32' ? new Float32Array(raw.buffer) : new Int32Array(raw.buffer);
    tensors[name] = tf.tensor(values, entry.shape, DTYPES[dtype]);
  }
  return { tensors, metadata: header.__metadata__ ?? {} };
}
