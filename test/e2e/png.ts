/** Reads a PNG's size and text chunks: an independent check of what export writes. */
export interface PngInfo {
  width: number;
  height: number;
  text: Record<string, string>;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

export function readPngInfo(bytes: Uint8Array): PngInfo {
  if (!SIGNATURE.every((byte, i) => bytes[i] === byte)) throw new Error('not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const latin1 = new TextDecoder('latin1');
  const info: PngInfo = { width: 0, height: 0, text: {} };
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = view.getUint32(at);
    const type = latin1.decode(bytes.subarray(at + 4, at + 8));
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      info.width = view.getUint32(at + 8);
      info.height = view.getUint32(at + 12);
    } else if (type === 'tEXt') {
      const nul = body.indexOf(0);
      info.text[latin1.decode(body.subarray(0, nul))] = latin1.decode(body.subarray(nul + 1));
    } else if (type === 'iTXt') {
      // keyword NUL, compression flag, method, language NUL, translated keyword NUL, text (uncompressed here)
      const keywordEnd = body.indexOf(0);
      const languageEnd = body.indexOf(0, keywordEnd + 3);
      const translatedEnd = body.indexOf(0, languageEnd + 1);
      if (body[keywordEnd + 1] === 0) {
        info.text[latin1.decode(body.subarray(0, keywordEnd))] = new TextDecoder().decode(body.subarray(translatedEnd + 1));
      }
    }
    at += 12 + length;
  }
  return info;
}
