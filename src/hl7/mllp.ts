// MLLP, the Minimal Lower Layer Protocol HL7 v2 travels in over TCP: each message is framed as
// <VT> message <FS><CR>. This framer is ours, not node-hl7-client's MLLPCodec: that codec takes
// everything buffered as one message once an FS and a CR have arrived anywhere in it, so two
// messages in one TCP read become one, and it has no size limit.

export const VT = 0x0b; // start of a frame
export const FS = 0x1c; // end of a frame (followed by CR)
export const CR = 0x0d;

export type FramerOutput =
  /** A whole message (the bytes between VT and FS). */
  | { kind: 'frame'; bytes: Buffer }
  /** A message over the size limit: its bytes are dropped up to its end; `head` is its beginning, to name it in the answer. */
  | { kind: 'too_large'; head: Buffer }
  /** Bytes that are no frame (outside VT..FS, or a VT inside a frame): the stream cannot be trusted. */
  | { kind: 'malformed'; reason: string };

/** Splits a byte stream into MLLP frames, however the bytes arrive (split or run together). */
export class MllpFramer {
  private parts: Buffer[] = [];
  private size = 0;
  private inFrame = false;
  private skipping = false; // inside a frame over the limit: dropped up to its FS
  private head: Buffer = Buffer.alloc(0);

  constructor(private readonly maxBytes: number) {}

  /** True while a frame has begun and not ended (the listener times such a frame out). */
  get partial(): boolean {
    return this.inFrame;
  }

  push(chunk: Buffer): FramerOutput[] {
    const out: FramerOutput[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (!this.inFrame) {
        const b = chunk[i]!;
        if (b === VT) {
          this.inFrame = true;
          this.skipping = false;
          this.parts = [];
          this.size = 0;
        } else if (!isWhitespace(b)) {
          // Whitespace between frames (the CR after FS, a stray newline) is tolerated; anything else is not.
          out.push({
            kind: 'malformed',
            reason: `byte 0x${b.toString(16).padStart(2, '0')} outside a frame (a message starts with 0x0b)`,
          });
          return out;
        }
        i++;
        continue;
      }
      // Inside a frame: look for its end, or a start that should not be there.
      let end = i;
      while (end < chunk.length && chunk[end] !== FS && chunk[end] !== VT) end++;
      this.take(chunk.subarray(i, end));
      if (end === chunk.length) break;
      if (chunk[end] === VT) {
        this.inFrame = false;
        out.push({ kind: 'malformed', reason: 'a new message began (0x0b) before the last one ended (0x1c)' });
        return out;
      }
      out.push(this.finish());
      i = end + 1;
    }
    return out;
  }

  private take(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (!this.skipping && this.size + bytes.length > this.maxBytes) {
      this.head = Buffer.concat([...this.parts, bytes]).subarray(0, 1024);
      this.skipping = true;
      this.parts = [];
    }
    if (this.skipping) return;
    this.parts.push(Buffer.from(bytes)); // a copy: the socket may reuse its buffer
    this.size += bytes.length;
  }

  private finish(): FramerOutput {
    this.inFrame = false;
    if (this.skipping) {
      this.skipping = false;
      return { kind: 'too_large', head: this.head };
    }
    const bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    return { kind: 'frame', bytes };
  }
}

function isWhitespace(b: number): boolean {
  return b === CR || b === 0x0a || b === 0x20 || b === 0x09;
}

/** A message framed for MLLP. */
export function frame(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const out = Buffer.allocUnsafe(body.length + 3);
  out[0] = VT;
  body.copy(out, 1);
  out[body.length + 1] = FS;
  out[body.length + 2] = CR;
  return out;
}
