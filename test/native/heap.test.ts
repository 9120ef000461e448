// WasmHeap: a first-fit allocator over a WebAssembly.Memory.
import { describe, expect, it } from 'vitest';
import { WasmHeap } from '../../src/native/heap.ts';

const newHeap = () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  return { memory, heap: new WasmHeap(memory, 1000) };
};

describe('WasmHeap', () => {
  it('hands out 16-byte aligned, non-overlapping blocks above the heap base', () => {
    const { heap } = newHeap();
    const a = heap.alloc(10);
    const b = heap.alloc(100);
    expect(a).toBe(1008); // 1000 rounded up to 16
    expect(b).toBe(a + 16);
    expect(b % 16).toBe(0);
    expect(heap.allocatedBytes).toBe(16 + 112);
  });

  it('reuses a released block, and merges released neighbours', () => {
    const { heap } = newHeap();
    const a = heap.alloc(64);
    const b = heap.alloc(64);
    const c = heap.alloc(64);
    heap.release(a);
    heap.release(b);
    expect(heap.alloc(128)).toBe(a); // a and b merged into one free block
    heap.release(c);
    expect(heap.allocatedBytes).toBe(128);
  });

  it('grows the memory when no free block is large enough', () => {
    const { memory, heap } = newHeap();
    const before = memory.buffer.byteLength;
    const a = heap.alloc(3 * 65536);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(a + 3 * 65536);
    expect(memory.buffer.byteLength).toBeGreaterThan(before);
  });

  it('names a block it never handed out', () => {
    const { heap } = newHeap();
    expect(() => heap.release(12345)).toThrow(/12345 is not an allocated block/);
  });

  it('lays out named arrays one after another in one block, released as one', () => {
    const { heap } = newHeap();
    const mem = heap.layout({ a: 3, b: 0, c: 5 });
    expect(mem.b - mem.a).toBe(12); // 3 floats
    expect(mem.c).toBe(mem.b); // an empty array takes no room
    expect(heap.allocatedBytes).toBe(32); // 8 floats, 16-byte aligned
    heap.release(mem.block);
    expect(heap.allocatedBytes).toBe(0);
  });
});
