// Letters that a reader takes for Latin letters or digits, and the Latin they
// are read as: the idea of the skeleton of Unicode TS #39, in a table of our
// own. The privacy guard folds them, so that a name written with a Cyrillic
// `а`, a Greek `ο` or a Cherokee `Ꭰ` is still found, and a label written `Р05`
// with a Cyrillic `Р` is still `P05`.
//
// What the table covers, on top of compatibility decomposition (NFKD, which
// already reads full-width, mathematical, circled and superscript letters as
// plain ones): the Cyrillic, Greek, Armenian, Cherokee and Lisu letters that
// look like a Latin letter or digit in common fonts; Latin small capitals and
// IPA letters; Latin letters that NFKD leaves whole (`ø`, `ł`, `ß`, `æ`); and
// apostrophes. Look-alikes within Latin (`rn` and `m`, `l` and `I`, `0` and
// `O`) are left apart on purpose: with case folded, they would join ordinary
// words to names (`LAN` to `Ian`).

/** Each Latin letter or digit, in the case a look-alike shows, with its look-alikes. */
const groups: [latin: string, lookalikes: string][] = [
  ['A', 'АΑꓮᎪᴀ'],
  ['a', 'аαɑ'],
  ['B', 'ВΒꓐᏴʙ'],
  ['b', 'Ь'],
  ['C', 'СϹꓚᏟᴄ'],
  ['c', 'сϲ'],
  ['D', 'ꓓᎠᴅ'],
  ['d', 'ԁđð'],
  ['E', 'ЕΕꓰᎬᴇ'],
  ['e', 'е'],
  ['F', 'Ϝꓝꜰ'],
  ['G', 'ԌꓖᏀɢ'],
  ['g', 'ԍɡց'],
  ['H', 'НҺΗꓧᎻʜ'],
  ['h', 'һհħ'],
  ['I', 'ІΙꓲӀɪ'],
  ['i', 'іιᎥıɩ'],
  ['J', 'ЈꓙᎫᴊ'],
  ['j', 'јϳȷ'],
  ['K', 'КΚꓗᏦᴋ'],
  ['L', 'ꓡᏞԼʟ'],
  ['l', 'ӏł'],
  ['M', 'МΜꓟᎷᴍ'],
  ['N', 'Νꓠɴ'],
  ['n', 'ηո'],
  ['O', 'ОΟՕꓳᴏ'],
  ['o', 'оοօø'],
  ['P', 'РΡꓑᏢᴘ'],
  ['p', 'рρ'],
  ['Q', 'Ԛ'],
  ['q', 'ԛզ'],
  ['R', 'ꓣᎡᏒʀ'],
  ['r', 'г'],
  ['S', 'ЅꓢᏚՏꜱ'],
  ['s', 'ѕ'],
  ['T', 'ТΤꓔᎢᴛ'],
  ['U', 'Սꓴᴜ'],
  ['u', 'սυ'],
  ['V', 'ѴꓦᏙᴠ'],
  ['v', 'ѵν'],
  ['W', 'ԜꓪᎳᏔᴡ'],
  ['w', 'ԝ'],
  ['X', 'ХΧꓫ'],
  ['x', 'хχ'],
  ['Y', 'УҮΥꓬʏ'],
  ['y', 'уүγᎩ'],
  ['Z', 'ΖꓜᏃᴢ'],
  ['3', 'З'],
  ['6', 'б'],
  ['th', 'þ'],
  ['ss', 'ß'],
  ['ae', 'æ'],
  ['oe', 'œ'],
  ["'", '‘’‛ʼʹ′'],
]

const table = new Map<string, string>()
for (const [latin, lookalikes] of groups) for (const char of lookalikes) table.set(char, latin)

/** The Latin a character is read as, in the case it shows; undefined for a character that is not in the table. */
export function lookalike(char: string): string | undefined {
  return table.get(char)
}

/** Characters that show nothing: soft hyphens, zero-width spaces and joiners, direction marks, variation selectors. */
export const invisible = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u

/**
 * A participant label as a reader reads it: compatibility forms as plain
 * letters (NFKC: `Ｐ０２` is `P02`), invisible characters dropped, and
 * look-alike letters as the Latin ones they show (`Р02` with a Cyrillic `Р`).
 * Case is kept, since labels are matched as written.
 */
export function readLabel(text: string): string {
  let label = ''
  for (const char of text.normalize('NFKC')) {
    if (invisible.test(char)) continue
    label += lookalike(char) ?? char
  }
  return label
}
