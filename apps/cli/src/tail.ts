/** The last `limit` bytes of a stream of chunks, kept as they arrive (a job's output may be any size). */
export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.chunks.length > 1 && this.size - this.chunks[0]!.length >= this.limit) {
      this.size -= this.chunks.shift()!.length;
    }
  }

  /** The tail as text, starting at a whole UTF-8 character (the cut may fall inside one). */
  text(): string {
    let tail = Buffer.concat(this.chunks).subarray(-this.limit);
    let start = 0;
    while (start < tail.length && start < 3 && (tail[start]! & 0xc0) === 0x80) start++;
    tail = tail.subarray(start);
    return tail.toString("utf8");
  }
}
