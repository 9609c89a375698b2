import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

export const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (!png.subarray(0, 8).equals(pngSignature) || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('png: not a PNG file');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * Encodes opaque RGBA pixels as an RGB PNG (no alpha channel, "Up" filter): PDF writers embed it as is, where an
 * RGBA PNG must first be split into colour and mask.
 */
export function encodeRgbPng(rgba: Buffer, width: number, height: number): Buffer {
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    raw[row] = y === 0 ? 0 : 2;
    for (let x = 0; x < width; x++) {
      const src = (y * width + x) * 4;
      const dst = row + 1 + x * 3;
      for (let c = 0; c < 3; c++) {
        const value = rgba[src + c]!;
        raw[dst + c] = y === 0 ? value : (value - rgba[src - width * 4 + c]!) & 0xff;
      }
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    pngSignature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Encodes opaque RGBA pixels as an 8-bit palette PNG of at most `maxColors` colours: the most frequent colours
 * (on a 5-bit-per-channel grid) become the palette, every pixel takes the nearest one. Charts are mostly flat
 * colours with anti-aliased edges, so this keeps them sharp at a fraction of the RGBA size.
 */
export function encodeIndexedPng(rgba: Buffer, width: number, height: number, maxColors = 64): Buffer {
  const key = (i: number) => ((rgba[i]! >> 3) << 10) | ((rgba[i + 1]! >> 3) << 5) | (rgba[i + 2]! >> 3);
  const counts = new Map<number, { n: number; r: number; g: number; b: number }>();
  for (let i = 0; i < rgba.length; i += 4) {
    const k = key(i);
    const entry = counts.get(k);
    if (entry) {
      entry.n++;
      entry.r += rgba[i]!;
      entry.g += rgba[i + 1]!;
      entry.b += rgba[i + 2]!;
    } else counts.set(k, { n: 1, r: rgba[i]!, g: rgba[i + 1]!, b: rgba[i + 2]! });
  }
  const palette = [...counts.values()]
    .sort((a, b) => b.n - a.n)
    .slice(0, Math.min(maxColors, 256))
    .map((e) => [Math.round(e.r / e.n), Math.round(e.g / e.n), Math.round(e.b / e.n)] as const);

  const nearest = new Map<number, number>();
  const indexOf = (i: number): number => {
    const k = key(i);
    let found = nearest.get(k);
    if (found === undefined) {
      let best = Infinity;
      found = 0;
      palette.forEach(([pr, pg, pb], p) => {
        const d = 3 * (rgba[i]! - pr) ** 2 + 4 * (rgba[i + 1]! - pg) ** 2 + 2 * (rgba[i + 2]! - pb) ** 2;
        if (d < best) {
          best = d;
          found = p;
        }
      });
      nearest.set(k, found);
    }
    return found;
  };

  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0;
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = indexOf((y * width + x) * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 3, 0, 0, 0], 8);
  return Buffer.concat([
    pngSignature,
    chunk('IHDR', header),
    chunk('PLTE', Buffer.from(palette.flat())),
    // level 6, not 9: this runs on the turn's path (results card); 9 took ~15× longer for 7% fewer bytes
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
