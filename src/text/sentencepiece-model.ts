/**
 * SentencePiece's model file (`spm_train`'s `.model`: a ModelProto in protobuf's wire format) for
 * BPE models, read and written without a protobuf dependency. Only the fields a BPE segmenter
 * needs (sentencepiece_model.proto):
 *
 *   ModelProto     1 pieces (repeated SentencePiece)   2 trainer_spec   3 normalizer_spec
 *   SentencePiece  1 piece (string)   2 score (float)   3 type (1 NORMAL, 2 UNKNOWN, 3 CONTROL, …)
 *   TrainerSpec    3 model_type (1 UNIGRAM, 2 BPE, …)   4 vocab_size (int32)
 *   NormalizerSpec 1 name   3 add_dummy_prefix   4 remove_extra_whitespaces   5 escape_whitespaces
 *
 * A written model starts with <unk>, <s>, </s> (ids 0, 1, 2, as spm_train's defaults), then the
 * pieces; its normaliser is 'identity' (no NFKC: sori normalises text to NFC itself) with a dummy
 * prefix, collapsed white space and '▁' for spaces, as subword.ts segments.
 */
import type { SubwordModel } from './subword.ts';

const NORMAL = 1;
const UNKNOWN = 2;
const CONTROL = 3;
const BPE = 2;

/** Protobuf writer: varints, length-delimited fields and 32-bit floats. */
class Writer {
  private bytes: number[] = [];
  varint(v: number): this {
    let x = v >>> 0;
    while (x >= 0x80) {
      this.bytes.push((x & 0x7f) | 0x80);
      x >>>= 7;
    }
    this.bytes.push(x);
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }
  uint(field: number, v: number): this {
    return this.tag(field, 0).varint(v);
  }
  bytesField(field: number, data: Uint8Array): this {
    this.tag(field, 2).varint(data.length);
    for (const b of data) this.bytes.push(b);
    return this;
  }
  string(field: number, s: string): this {
    return this.bytesField(field, new TextEncoder().encode(s));
  }
  float(field: number, v: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(new Float32Array([v]).buffer);
    for (const x of b) this.bytes.push(x);
    return this;
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** The fields of one message: field number → values (numbers, or bytes for length-delimited). */
function readMessage(data: Uint8Array, what: string): Map<number, (number | Uint8Array)[]> {
  const fields = new Map<number, (number | Uint8Array)[]>();
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let i = 0;
  const varint = () => {
    let v = 0;
    let shift = 0;
    for (;;) {
      if (i >= data.length) throw new Error(`${what}: the data ends inside a varint at byte ${i}`);
      const b = data[i++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      shift += 7;
    }
  };
  while (i < data.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    let value: number | Uint8Array;
    if (wire === 0) value = varint();
    else if (wire === 1) [value, i] = [view.getFloat64(i, true), i + 8];
    else if (wire === 5) [value, i] = [view.getFloat32(i, true), i + 4];
    else if (wire === 2) {
      const n = varint();
      if (i + n > data.length) throw new Error(`${what}: field ${field} claims ${n} bytes, ${data.length - i} left`);
      [value, i] = [data.subarray(i, i + n), i + n];
    } else throw new Error(`${what}: wire type ${wire} of field ${field} at byte ${i} is not supported`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

/** `model` as a SentencePiece `.model` file (BPE, see the module comment). */
export function writeSentencePieceModel(model: SubwordModel): Uint8Array {
  const out = new Writer();
  const piece = (text: string, score: number, type: number) => {
    const p = new Writer().string(1, text).float(2, score);
    if (type !== NORMAL) p.uint(3, type);
    out.bytesField(1, p.finish());
  };
  piece('<unk>', 0, UNKNOWN);
  piece('<s>', 0, CONTROL);
  piece('</s>', 0, CONTROL);
  model.pieces.forEach((p, i) => piece(p, model.scores[i], NORMAL));
  out.bytesField(2, new Writer().uint(3, BPE).uint(4, model.pieces.length + 3).finish());
  out.bytesField(3, new Writer().string(1, 'identity').uint(3, 1).uint(4, 1).uint(5, 1).finish());
  return out.finish();
}

/**
 * The BPE model in a SentencePiece `.model` file: its NORMAL and USER_DEFINED pieces with their
 * scores (the <unk> and control pieces left out). Throws for a model type other than BPE.
 */
export function readSentencePieceModel(data: Uint8Array): SubwordModel {
  const proto = readMessage(data, '.model');
  const trainer = proto.get(2)?.[0];
  const type = trainer instanceof Uint8Array ? readMessage(trainer, '.model trainer_spec').get(3)?.[0] ?? 1 : 1;
  if (type !== BPE) throw new Error(`.model: model_type ${type} (1 UNIGRAM, 3 WORD, 4 CHAR) is not BPE (2), the only type read here`);
  const pieces: string[] = [];
  const scores: number[] = [];
  (proto.get(1) ?? []).forEach((entry, i) => {
    if (!(entry instanceof Uint8Array)) throw new Error(`.model: pieces[${i}] is not a message`);
    const f = readMessage(entry, `.model pieces[${i}]`);
    const text = f.get(1)?.[0];
    const kind = (f.get(3)?.[0] as number | undefined) ?? NORMAL;
    if (!(text instanceof Uint8Array)) throw new Error(`.model: pieces[${i}] has no piece text`);
    if (kind === NORMAL || kind === 4) {
      pieces.push(new TextDecoder().decode(text));
      scores.push((f.get(2)?.[0] as number | undefined) ?? 0);
    }
  });
  return { pieces, scores };
}
