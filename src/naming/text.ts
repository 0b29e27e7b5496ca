/** NFC, trimmed, inner whitespace runs collapsed to one space (imports and mappings all go through here). */
export function cleanText(s: string): string {
  return s.normalize('NFC').replace(/\s+/gu, ' ').trim()
}

/**
 * Vietnamese text to lower-case ASCII letters and digits: tone marks and vowel marks dropped, đ → d.
 * NFD input and both tone placements (Hòa/Hoà, Thủy/Thuỷ) fold to the same string.
 */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/gu, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')
}

/** Type prefixes a unit name carries, longest first so `Thành phố` wins over shorter ones. */
export const UNIT_TYPE_PREFIXES = [
  'Thành phố',
  'Thị trấn',
  'Thị xã',
  'Đặc khu',
  'Phường',
  'Huyện',
  'Quận',
  'Tỉnh',
  'Xã',
] as const

/** Split `Phường Trần Hưng Đạo` into its type and the proper name; names without a known prefix keep `type` empty. */
export function splitUnitName(name: string): {type: string; proper: string} {
  const n = cleanText(name)
  for (const prefix of UNIT_TYPE_PREFIXES) {
    if (n.toLowerCase().startsWith(prefix.toLowerCase() + ' '))
      return {type: prefix, proper: n.slice(prefix.length + 1)}
  }
  return {type: '', proper: n}
}

/**
 * The slug of a unit used in addresses and usernames: the proper name folded (`Phường Trần Hưng Đạo` →
 * `tranhungdao`). A purely numeric proper name keeps its type (`Phường 1` → `phuong1`), as such names
 * mean nothing alone.
 */
export function unitSlug(name: string): string {
  const {type, proper} = splitUnitName(name)
  const slug = fold(proper)
  return /^[0-9]*$/.test(slug) ? fold(type) + slug : slug
}
