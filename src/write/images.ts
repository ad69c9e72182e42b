// The pixel size of a PNG, JPEG, GIF or BMP, read from its header, for
// documents that must give an image's size (Word). Anything else is undefined.

export interface ImageSize {
  type: 'png' | 'jpg' | 'gif' | 'bmp'
  width: number
  height: number
}

export function imageSize(bytes: Uint8Array): ImageSize | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const at = (offset: number, length: number) => String.fromCharCode(...bytes.subarray(offset, offset + length))
  if (bytes.length >= 24 && at(1, 3) === 'PNG' && at(12, 4) === 'IHDR') return sized('png', view.getUint32(16), view.getUint32(20))
  if (bytes.length >= 10 && at(0, 3) === 'GIF') return sized('gif', view.getUint16(6, true), view.getUint16(8, true))
  if (bytes.length >= 26 && at(0, 2) === 'BM') return sized('bmp', view.getInt32(18, true), Math.abs(view.getInt32(22, true)))
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(bytes, view)
  return undefined
}

/** A JPEG's size is in its first start-of-frame segment (SOF0 to SOF15, less DHT, JPG and DAC). */
function jpegSize(bytes: Uint8Array, view: DataView): ImageSize | undefined {
  let offset = 2
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined
    const marker = bytes[offset + 1]!
    if (marker === 0xff) {
      offset++
      continue
    }
    const length = view.getUint16(offset + 2)
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return sized('jpg', view.getUint16(offset + 7), view.getUint16(offset + 5))
    offset += 2 + length
  }
  return undefined
}

function sized(type: ImageSize['type'], width: number, height: number): ImageSize | undefined {
  return width > 0 && height > 0 ? { type, width, height } : undefined
}
