import { constants, crc32, deflateRawSync } from 'node:zlib';

/** One part of a hand-made zip, with the sizes it declares (which may lie). */
interface RawEntry {
  name: string;
  /** Deflated bytes. */
  data: Buffer;
  crc: number;
  declaredSize: number;
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** A zip written byte by byte, so that a test can make it claim what it likes. */
export function rawZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(entry.crc, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(entry.crc, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    centrals.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export function honestEntry(name: string, content: Buffer): RawEntry {
  return { name, data: deflateRawSync(content), crc: crc32(content), declaredSize: content.length };
}

/** A Word body of `count` empty paragraphs (`<w:p/>`), or of other empty elements of the same size. */
export function emptyParagraphsXml(count: number, element = '<w:p/>'): Buffer {
  return Buffer.concat([
    Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body>`),
    Buffer.alloc(count * element.length, element),
    Buffer.from('</w:body></w:document>'),
  ]);
}

/**
 * `gib` GiB of zeros as a raw deflate stream, built without inflating anything: one fully flushed
 * (self-contained, byte-aligned) block of 1 MiB of zeros repeated, then an empty final block.
 */
export function deflatedZeros(gib: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: constants.Z_FULL_FLUSH });
  const blocks: Buffer[] = new Array(gib * 1024).fill(block);
  return Buffer.concat([...blocks, Buffer.from([0x03, 0x00])]);
}

/** The reported bombs. */
export const bombs = {
  /** ~1 MiB whose word/document.xml declares 1 KiB and inflates to 1 GiB of zeros. */
  lyingSizes(): Buffer {
    return rawZip([{ name: 'word/document.xml', data: deflatedZeros(1), crc: 0, declaredSize: 1024 }]);
  },
  /** The same 1 GiB, declared honestly. */
  declaredHuge(): Buffer {
    return rawZip([{ name: 'word/document.xml', data: deflatedZeros(1), crc: 0, declaredSize: 1024 ** 3 }]);
  },
  /** 20 entries all named word/document.xml, each a body of 100,000 paragraphs. */
  duplicateNames(): Buffer {
    const body = honestEntry('word/document.xml', emptyParagraphsXml(100_000));
    return rawZip(Array.from({ length: 20 }, () => body));
  },
  /** 16 MiB of empty paragraphs (some 2.8 million), honestly declared, in a few dozen KB. */
  emptyParagraphs(): Buffer {
    return rawZip([honestEntry('word/document.xml', emptyParagraphsXml(Math.floor((16 * 1024 * 1024) / 6)))]);
  },
  /** 16 MiB of empty elements that are not paragraphs. */
  emptyElements(): Buffer {
    return rawZip([honestEntry('word/document.xml', emptyParagraphsXml(Math.floor((16 * 1024 * 1024) / 6), '<w:r/>'))]);
  },
  /** 60,000 empty paragraphs: few elements, but more paragraphs than any document has. */
  manyParagraphs(): Buffer {
    return rawZip([honestEntry('word/document.xml', emptyParagraphsXml(60_000))]);
  },
};
