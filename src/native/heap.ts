/**
 * A first-fit allocator over a WebAssembly module's linear memory, above `__heap_base`: blocks
 * are 16-byte aligned, freed blocks merge with free neighbours, and the memory grows when no
 * free block is large enough. Growing detaches earlier views of the memory, so callers keep
 * addresses and take views (`f32`) after their last allocation.
 */
export class WasmHeap {
  /** Free blocks [start, end) in address order. */
  private readonly free: { start: number; end: number }[] = [];
  /** Size of each allocated block by its address. */
  private readonly used = new Map<number, number>();
  private top: number;

  constructor(
    private readonly memory: WebAssembly.Memory,
    heapBase: number,
  ) {
    this.top = align(heapBase);
  }

  /** A block of at least `bytes` bytes; its address. */
  alloc(bytes: number): number {
    const size = Math.max(16, align(bytes));
    const i = this.free.findIndex((f) => f.end - f.start >= size);
    let start: number;
    if (i >= 0) {
      start = this.free[i].start;
      this.free[i].start += size;
      if (this.free[i].start === this.free[i].end) this.free.splice(i, 1);
    } else {
      const last = this.free[this.free.length - 1];
      start = last && last.end === this.top ? last.start : this.top; // extend a free tail block
      if (last && last.end === this.top) this.free.pop();
      this.top = start + size;
      const missing = this.top - this.memory.buffer.byteLength;
      if (missing > 0) this.memory.grow(Math.ceil(missing / 65536));
    }
    this.used.set(start, size);
    return start;
  }

  /**
   * One block laid out as consecutive float32 (or int32) arrays, sizes in elements: each array's
   * byte address by name, and the block's (for release).
   */
  layout<K extends string>(sizes: Record<K, number>): Record<K, number> & { block: number } {
    const total = Object.values<number>(sizes).reduce((sum, n) => sum + n, 0);
    const block = this.alloc(4 * total);
    let at = block;
    const pointers: Record<string, number> = { block };
    for (const name of Object.keys(sizes) as K[]) {
      pointers[name] = at;
      at += 4 * sizes[name];
    }
    return pointers as Record<K, number> & { block: number };
  }

  /** Return a block from alloc. */
  release(address: number): void {
    const size = this.used.get(address);
    if (size === undefined) throw new Error(`WasmHeap.release: ${address} is not an allocated block`);
    this.used.delete(address);
    let block = { start: address, end: address + size };
    let i = this.free.findIndex((f) => f.start > address);
    if (i < 0) i = this.free.length;
    const before = this.free[i - 1];
    const after = this.free[i];
    if (after && after.start === block.end) {
      block = { start: block.start, end: after.end };
      this.free.splice(i, 1);
    }
    if (before && before.end === block.start) before.end = block.end;
    else this.free.splice(i, 0, block);
  }

  /** Bytes in allocated blocks. */
  get allocatedBytes(): number {
    let n = 0;
    for (const size of this.used.values()) n += size;
    return n;
  }
}

function align(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}
