import type { IncomingMessage } from "node:http";
import type { Transform } from "node:stream";
import zlib from "node:zlib";

/** Bytes of body read for the keyword search; past it the check stops reading (a 10 GB page is no check). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface ResponseBody {
  /** The body as UTF-8, "" when the caller did not keep it. */
  text: string;
  /** Bytes read, after decompression, at most BODY_LIMIT_BYTES. */
  bytes: number;
  truncated: boolean;
}

/** The encodings the checks ask for (requestHeaders); anything else is read as sent. */
const ENCODINGS = new Set(["gzip", "deflate", "br"]);

/**
 * Reads a response's body, decompressed, up to BODY_LIMIT_BYTES; the text is kept only when asked for
 * (an http check without keyword only counts bytes). Past the cap the response is destroyed:
 * that socket is not reused, which is the price of the cap, and a compressed bomb is never inflated
 * further than the cap.
 */
export function readBody(response: IncomingMessage, method: string, keepText: boolean): Promise<ResponseBody> {
  const encoding = response.headers["content-encoding"]?.trim().toLowerCase();
  const encoded = encoding !== undefined && ENCODINGS.has(encoding) && hasBody(method, response.statusCode!);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let decoder: Transform | undefined;
    let settled = false;
    const settle = (truncated: boolean) => {
      if (settled) return;
      settled = true;
      resolve({ text: keepText ? Buffer.concat(chunks).toString("utf8") : "", bytes, truncated });
    };
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      decoder?.destroy();
      reject(error);
    };
    const take = (chunk: Buffer) => {
      if (settled) return;
      const room = BODY_LIMIT_BYTES - bytes;
      if (keepText) chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      bytes += Math.min(chunk.length, room);
      if (chunk.length >= room) {
        // A chunk that fills the cap exactly is whole only if nothing more was coming.
        settle(chunk.length > room || !(decoder ?? response).readableEnded);
        response.destroy();
        decoder?.destroy();
      }
    };
    const onDecoded = () => settle(false);

    response.on("data", (chunk: Buffer) => {
      if (settled) return;
      if (!encoded) return take(chunk);
      // Created on the first byte: an empty encoded body is no error, and "deflate" may come raw.
      if (!decoder) {
        decoder = decoderFor(encoding!, chunk);
        decoder.on("data", take);
        decoder.once("end", onDecoded);
        decoder.on("error", fail);
        decoder.on("drain", () => response.resume());
      }
      if (!decoder.write(chunk)) response.pause();
    });
    response.once("end", () => (decoder ? decoder.end() : settle(false)));
    response.on("error", (error: NodeJS.ErrnoException) => fail(error.code === "ECONNRESET" ? cutShort(error) : error));
    // Destroyed without an error: the body did not end either.
    response.once("close", () => {
      if (!response.readableEnded) fail(cutShort());
    });
  });
}

/** The connection closed mid-body; node says only "aborted", this is the message got gave check history. */
function cutShort(cause?: Error): Error {
  return Object.assign(new Error("The server aborted pending request", { cause }), { code: "ECONNRESET" });
}

function hasBody(method: string, status: number): boolean {
  return method !== "HEAD" && status >= 200 && status !== 204 && status !== 205 && status !== 304;
}

/** As decompress-response (got's) chose: raw deflate when the first byte is no zlib header. */
function decoderFor(encoding: string, first: Buffer): Transform {
  if (encoding === "br") return zlib.createBrotliDecompress();
  if (encoding === "deflate" && first.length > 0 && (first[0]! & 0x08) === 0) return zlib.createInflateRaw();
  return zlib.createUnzip();
}
