import { randomBytes } from 'node:crypto';
import { type Socket, connect } from 'node:net';

/**
 * A hostile websocket client on a bare TCP socket: it performs the upgrade by hand, then writes
 * whatever it is told, ignoring close frames. It respects TCP backpressure only so that the test
 * process (which hosts the server) does not itself buffer the flood: the server decides how much it reads.
 */
export interface RawSocket {
  socket: Socket;
  /** Everything received, the HTTP response included. */
  received(): Buffer;
  /** Resolves when the server has closed or dropped the connection. */
  closed: Promise<void>;
  /** Bytes the kernel accepted from us, i.e. that the server could have read. */
  written(): number;
  /** Writes `frame` again and again for `ms`, waiting for drain when the socket is full. */
  flood(frame: Buffer, ms: number): Promise<void>;
}

export async function rawUpgrade(baseUrl: string, pathAndQuery: string): Promise<RawSocket> {
  const url = new URL(baseUrl);
  const socket = connect(Number(url.port), url.hostname);
  const chunks: Buffer[] = [];
  let written = 0;
  let isClosed = false;
  const closed = new Promise<void>((resolve) => {
    socket.once('close', () => {
      isClosed = true;
      resolve();
    });
  });
  socket.on('error', () => {});
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const answered = new Promise<void>((resolve) => {
    const check = () => {
      if (Buffer.concat(chunks).includes('\r\n\r\n')) resolve();
      else socket.once('data', () => setImmediate(check));
    };
    socket.once('data', () => setImmediate(check));
    void closed.then(resolve);
  });
  socket.write(
    `GET ${pathAndQuery} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  // Like a real client, it waits for the upgrade response; then it ignores whatever the server says.
  await answered;
  return {
    socket,
    received: () => Buffer.concat(chunks),
    closed,
    written: () => written,
    async flood(frame, ms) {
      const until = Date.now() + ms;
      while (!isClosed && Date.now() < until) {
        const ok = socket.write(frame, (err) => {
          if (!err) written += frame.length;
        });
        if (!ok) {
          await Promise.race([
            new Promise((r) => socket.once('drain', r)),
            closed,
            new Promise((r) => setTimeout(r, until - Date.now())),
          ]);
        }
      }
    },
  };
}

/** A masked binary frame (as a client must send) carrying `payload`. */
export function clientFrame(payload: Buffer): Buffer {
  const mask = Buffer.alloc(4); // a zero mask leaves the payload as is
  let header: Buffer;
  if (payload.length < 126) {
    header = Buffer.from([0x82, 0x80 | payload.length]);
  } else if (payload.length < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x82;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x82;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  return Buffer.concat([header, mask, payload]);
}

/** The close code of the first close frame the server sent after its 101 response, or null. */
export function closeCodeIn(received: Buffer): number | null {
  const end = received.indexOf('\r\n\r\n');
  if (end < 0) return null;
  let at = end + 4;
  while (at + 2 <= received.length) {
    const opcode = (received[at] ?? 0) & 0x0f;
    let length = (received[at + 1] ?? 0) & 0x7f;
    let start = at + 2;
    if (length === 126) {
      length = received.readUInt16BE(at + 2);
      start = at + 4;
    } else if (length === 127) {
      length = Number(received.readBigUInt64BE(at + 2));
      start = at + 10;
    }
    if (opcode === 0x8) return length >= 2 ? received.readUInt16BE(start) : null;
    at = start + length;
  }
  return null;
}
