// How the privacy guard reads text before it looks for roster strings in it
// (src/privacy/fold.ts and lookalikes.ts): every spelling a reader would still
// recognise reads alike, each folded code unit maps back to what it was read
// from, and ordinary text, ordinary words included, stays what it is.

import { describe, expect, it } from 'vitest'
import { characterReference, fold, type FoldMode } from '../src/privacy/fold.js'
import { invisible, lookalike, readLabel } from '../src/privacy/lookalikes.js'
import { createMatcher } from '../src/privacy/roster.js'

const read = (text: string, mode?: FoldMode) => fold(text, mode).text
/** Each folded code unit with the span of the original it was read from: `j0-1`. */
const spans = (text: string, mode?: FoldMode) => {
  const folded = fold(text, mode)
  return Array.from({ length: folded.text.length }, (_, k) => `${folded.text[k]}${folded.from[k]}-${folded.to[k]}`)
}
const hex2 = (byte: number) => byte.toString(16).padStart(2, '0')
/** Every code point, lone surrogates left out, as strings. */
function* codePoints(test: (char: string) => boolean): Generator<string> {
  for (let code = 0; code <= 0x10ffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue
    const char = String.fromCodePoint(code)
    if (test(char)) yield char
  }
}

describe('reading text as a reader would', () => {
  it('folds case, accents and compatibility forms, and keeps the case when asked to', () => {
    expect(read('JOSÉ Ñúñez')).toBe('jose nunez')
    expect(read('Ｊａｎｅ 𝐃𝐨𝐞, ﬁona, Straße')).toBe('jane doe, fiona, strasse')
    expect(read('Ӓnna and Ԁana')).toBe('anna and dana')
    // Each character read both ways, and again: the case kept once is not kept for the next reading.
    for (const [char, lower, upper] of [
      ['Ｐ', 'p', 'P'],
      ['𝐉', 'j', 'J'],
      ['Ӓ', 'a', 'A'],
      ['É', 'e', 'E'],
    ] as const) {
      expect([read(char), fold(char, 'text', { keepCase: true }).text, read(char)]).toEqual([lower, upper, lower])
    }
    expect(fold('Ｐ０５ and P05', 'text', { keepCase: true }).text).toBe('P05 and P05')
  })

  it('reads white space, dashes, dots, underscores, plus signs, slashes and other separators as one space', () => {
    const separators = [' ', '\t', '\n', '\r', '\u00a0', '\u2003', '\u3000', '-', '\u2010', '\u2013', '\u2014', '_', '\u203f', '＿', '.', '+', '/', '\\']
    const lookingLikeOnes = ['·', '•', '‧', '∙', '⋅', '−', '⁄', '∕', '\u2024', '…', '．', '＋', '／', '¨']
    for (const separator of [...separators, ...lookingLikeOnes]) expect(read(`Jane${separator}Doe`), `U+${separator.codePointAt(0)!.toString(16)}`).toBe('jane doe')
    // Runs of separators are one space; none is kept at the start.
    expect(read(' \n Jane -- Doe_. ')).toBe('jane doe ')
    expect(read('Jane,Doe; O\'Brien (Kim)')).toBe('jane,doe; o\'brien (kim)')
  })

  it('drops every invisible character: format characters and default-ignorable ones', () => {
    const chars = [...codePoints((c) => /\p{Cf}|\p{Default_Ignorable_Code_Point}/u.test(c))]
    expect(chars.length).toBeGreaterThan(4000)
    const shown = chars.filter((char) => !invisible.test(char) || read(`Ja${char}ne`) !== 'jane' || readLabel(`P${char}05`) !== 'P05')
    expect(shown.map((char) => `U+${char.codePointAt(0)!.toString(16)}`)).toEqual([])
    // The zero-width no-break space is also white space to JavaScript: inside a word it joins, it does not split.
    expect(spans('Ja\ufeffne')).toEqual(['j0-1', 'a1-2', 'n3-4', 'e4-5'])
    expect(invisible.test('a')).toBe(false)
    expect(invisible.test(' ')).toBe(false)
  })

  it('maps each folded code unit to the characters it was read from', () => {
    // A combining mark joins the letter before it; at the start, there is none to join.
    expect(spans('Jose\u0301 Ñ')).toEqual(['j0-1', 'o1-2', 's2-3', 'e3-5', ' 5-6', 'n6-7'])
    expect(spans('\u0301a')).toEqual(['a1-2'])
    // One character read as two letters, and two code units read as one letter.
    expect(spans('ßa')).toEqual(['s0-1', 's0-1', 'a1-2'])
    expect(spans('𝐉a')).toEqual(['j0-2', 'a2-3'])
    // A URL escape reads as one character spanning the whole escape.
    expect(spans('J%61ne')).toEqual(['j0-1', 'a1-4', 'n4-5', 'e5-6'])
    expect(spans('J&#97;ne', 'markdown')).toEqual(['j0-1', 'a1-6', 'n6-7', 'e7-8'])
    // Characters beyond the Basic Multilingual Plane, at both ends of the surrogate ranges, and lone surrogates.
    expect(spans('\u{10000}\u{10ffff}')).toEqual(['\ud8000-2', '\udc000-2', '\udbff2-4', '\udfff2-4'])
    expect(spans('\ud800a\udc00')).toEqual(['\ud8000-1', 'a1-2', '\udc002-3'])
    expect(spans('\udbff\ue000')).toEqual(['\udbff0-1', '\ue0001-2'])
    // Longer texts than the first guess, each unit still in its place.
    const folded = fold(`${'ß'.repeat(40)}!`)
    expect(folded.text).toBe(`${'ss'.repeat(40)}!`)
    expect([...folded.from]).toEqual([...Array.from({ length: 80 }, (_, k) => k >> 1), 40])
    expect([...folded.to]).toEqual([...Array.from({ length: 80 }, (_, k) => (k >> 1) + 1), 41])
  })

  it('reads every character, lone surrogates included, without failing and in order', () => {
    const all = Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code)).join('')
    for (const keepCase of [false, true]) {
      const folded = fold(all, 'markdown', { keepCase })
      expect(folded.text.length).toBeGreaterThan(0x8000)
      const disordered = Array.from(folded.from).findIndex((from, k) => from < (folded.from[k - 1] ?? 0) || folded.to[k]! <= from)
      expect(disordered).toBe(-1)
      expect(folded.to[folded.text.length - 1]).toBeLessThanOrEqual(all.length)
    }
    expect(read('a\u0080b\u007fc')).toBe('a\u0080b\u007fc')
  })
})

describe('markdown', () => {
  it('ignores emphasis, strike-through and code marks in every kind of text, and the quote mark in markdown only', () => {
    expect(read('> **Jane** ~~Doe~~ `P05`', 'markdown')).toBe('jane doe p05')
    // A title in report.yml is published as written: a reader still reads a name through its marks.
    expect(read('> **Jane** ~~Doe~~ `P05`')).toBe('> jane doe p05')
    expect(read('> **Jane**', 'path')).toBe('> jane')
    expect(read('Jane*Doe', 'binary')).toBe('janedoe')
  })

  it('ignores the `>` that continues a blockquote at the start of a line, after any indentation or invisible character', () => {
    for (const text of ['Jane\n> Doe', 'Jane\r> Doe', 'Jane\r\n>Doe', 'Jane\n  > > Doe', 'Jane\n\u200b> Doe']) expect(read(text, 'markdown'), JSON.stringify(text)).toBe('jane doe')
    // Elsewhere, `>` is a character like any other.
    expect(read('Jane > Doe', 'markdown')).toBe('jane > doe')
    expect(read('%4A> Doe', 'markdown')).toBe('j> doe')
    expect(read('&#74;> Doe', 'markdown')).toBe('j> doe')
    expect(read('\u0301> Doe', 'markdown')).toBe('> doe')
  })
})

describe('URL escapes', () => {
  it('reads an escape of every ASCII character as that character, in either case of hex digit', () => {
    for (let byte = 0; byte < 0x80; byte++) {
      const char = String.fromCharCode(byte)
      expect(read(`a%${hex2(byte)}b`), hex2(byte)).toBe(read(`a${char}b`))
      expect(read(`a%${hex2(byte).toUpperCase()}b`), hex2(byte)).toBe(read(`a${char}b`))
    }
  })

  it('leaves a `%` as written when what follows is not two hex digits', () => {
    for (let byte = 0x21; byte < 0x7f; byte++) {
      const char = String.fromCharCode(byte)
      if (/[0-9a-f]/i.test(char)) continue
      expect(read(`x%${char}1`)[1], char).toBe('%')
      expect(read(`x%1${char}`)[1], char).toBe('%')
    }
    expect(read('100%, %zz')).toBe('100%, %zz')
  })

  it('reads UTF-8 sequences of every length, and leaves bytes that are not UTF-8 as written', () => {
    const valid = [
      ['%C2%80', '\u0080'],
      ['%c2%bf', '¿'],
      ['%C3%A9', 'é'],
      ['%DF%BF', '\u07ff'],
      ['%E0%A0%80', '\u0800'],
      ['%E2%82%AC', '€'],
      ['%EF%BF%BF', '\uffff'],
      ['%F0%90%80%80', '\u{10000}'],
      ['%F0%9D%90%89', '𝐉'],
      ['%F4%8F%BF%BF', '\u{10ffff}'],
    ]
    for (const [escaped, char] of valid) {
      const folded = fold(`x${escaped!}`)
      expect(folded.text, escaped).toBe(`x${read(char!)}`)
      expect([...folded.from.subarray(1)], escaped).toEqual(Array(folded.text.length - 1).fill(1))
      expect([...folded.to.subarray(1)], escaped).toEqual(Array(folded.text.length - 1).fill(escaped!.length + 1))
    }
    const invalid = [
      ['%80', '%80'],
      ['%C0%80', '%c0%80'],
      ['%C1%BF', '%c1%bf'],
      ['%F5%80%80%80', '%f5%80%80%80'],
      ['%FF', '%ff'],
      ['%C3', '%c3'],
      ['%C3%41', '%c3a'],
      ['%C3%C3%A9', '%c3e'],
      ['%C3xA9', '%c3xa9'],
      ['%E2%82', '%e2%82'],
      ['%E2%82%41', '%e2%82a'],
      ['%80%80%80%80', '%80%80%80%80'],
    ]
    for (const [escaped, text] of invalid) expect(read(escaped!), escaped).toBe(text)
  })

  it('reads escaped escapes through, up to three levels deep', () => {
    expect(read('J%2561ne')).toBe('jane')
    expect(read('Jane%250ADoe')).toBe('jane doe')
    expect(read('%2541 %252541 %25252541')).toBe('a a a')
    expect(read('%2525252541')).toBe('%41')
    expect(read('a%2520b')).toBe('a b')
    expect(read('%25zz %252 %25G1 %25%41')).toBe('%zz %2 %g1 %a')
    // An escape is two digits: what follows it is read as written, hex digits or not.
    expect(read('Gr%61ce and %4A%61ne')).toBe('grace and jane')
    expect(spans('%252541')).toEqual(['a0-7'])
  })
})

describe('character references', () => {
  it('reads numeric references, decimal and hex, up to their longest and largest', () => {
    const codes = [0x30, 0x39, 0x41, 0x46, 0x4a, 0x61, 0x66, 0x6f, 0xab, 0xcd, 0xe9, 0xef, 0x2578, 0xd7ff, 0xe000, 0x1d409, 0x10ffff]
    for (const code of codes) {
      const char = String.fromCodePoint(code)
      for (const written of [`&#x${code.toString(16)};`, `&#X${code.toString(16).toUpperCase()};`, `&#${code};`]) {
        expect(characterReference(`a${written}b`, 1), written).toEqual({ value: char, end: written.length + 1 })
      }
    }
    expect(characterReference('&#x00004A;', 0)).toEqual({ value: 'J', end: 10 })
    expect(characterReference('&#0000074;', 0)).toEqual({ value: 'J', end: 10 })
    expect(characterReference('&#9;', 0)).toEqual({ value: '\t', end: 4 })
    expect(characterReference('&#xa;', 0)).toEqual({ value: '\n', end: 5 })
  })

  it('reads named references, short and long', () => {
    const named = [
      ['&shy;', '\u00ad'],
      ['&lt;', '<'],
      ['&Mu;', 'Μ'],
      ['&Aacute;', 'Á'],
      ['&Zcaron;', 'Ž'],
      ['&aacute;', 'á'],
      ['&zeta;', 'ζ'],
      ['&frac12;', '½'],
      ['&DZcy;', 'Џ'],
      ['&lozenge;', '◊'],
      ['&Jopf;', '𝕁'],
      ['&CounterClockwiseContourIntegral;', '∳'],
    ]
    for (const [written, value] of named) expect(characterReference(`x${written!}`, 1), written).toEqual({ value, end: written!.length + 1 })
  })

  it('refuses what is not a character reference', () => {
    const refused = ['&#74', '&#x4A', '&shy', '&#;', '&#x;', '&#0;', '&#x0;', '&#xD800;', '&#xDFFF;', '&#x110000;', '&#1114112;', '&#00000074;', '&#x000004A;', '&a;', '&nosuchname;', '&1a;', '& shy;', '#74;']
    for (const written of refused) expect(characterReference(written, 0), written).toBeUndefined()
    expect(characterReference('x&#74;', 0)).toBeUndefined()
  })

  it('reads numeric references without their `;` when asked to, as browsers do, but not named ones', () => {
    expect(characterReference('&#74ane', 0, true)).toEqual({ value: 'J', end: 4 })
    expect(characterReference('&#x4Ane', 0, true)).toEqual({ value: 'J', end: 5 })
    expect(characterReference('&#74;ane', 0, true)).toEqual({ value: 'J', end: 5 })
    expect(characterReference('&#x4A;', 0, true)).toEqual({ value: 'J', end: 6 })
    expect(characterReference('&shy;', 0, true)).toEqual({ value: '\u00ad', end: 5 })
    expect(characterReference('&shy', 0, true)).toBeUndefined()
    expect(characterReference('&#;', 0, true)).toBeUndefined()
    expect(characterReference('&#x110000', 0, true)).toBeUndefined()
  })

  it('reads references in markdown only', () => {
    expect(read('J&#97;ne D&#x6F;e, Ja&shy;ne, &Mu;ark, a&#9;b', 'markdown')).toBe('jane doe, jane, mark, a b')
    expect(read('J&#97;ne', 'text')).toBe('j&#97;ne')
    expect(read('J&#97ne &nosuch; &', 'markdown')).toBe('j&#97ne &nosuch; &')
  })
})

// The table of lookalikes.ts, written out again: a letter dropped from it, or read as another, is noticed here.
const lookalikes: Record<string, string> = {
  A: 'АΑꓮᎪᴀ',
  a: 'аαɑ',
  B: 'ВΒꓐᏴʙ',
  b: 'Ь',
  C: 'СϹꓚᏟᴄ',
  c: 'сϲ',
  D: 'ꓓᎠᴅ',
  d: 'ԁđð',
  E: 'ЕΕꓰᎬᴇ',
  e: 'е',
  F: 'Ϝꓝꜰ',
  G: 'ԌꓖᏀɢ',
  g: 'ԍɡց',
  H: 'НҺΗꓧᎻʜ',
  h: 'һհħ',
  I: 'ІΙꓲӀɪ',
  i: 'іιᎥıɩ',
  J: 'ЈꓙᎫᴊ',
  j: 'јϳȷ',
  K: 'КΚꓗᏦᴋ',
  L: 'ꓡᏞԼʟ',
  l: 'ӏł',
  M: 'МΜꓟᎷᴍ',
  N: 'Νꓠɴ',
  n: 'ηո',
  O: 'ОΟՕꓳᴏ',
  o: 'оοօø',
  P: 'РΡꓑᏢᴘ',
  p: 'рρ',
  Q: 'Ԛ',
  q: 'ԛզ',
  R: 'ꓣᎡᏒʀ',
  r: 'г',
  S: 'ЅꓢᏚՏꜱ',
  s: 'ѕ',
  T: 'ТΤꓔᎢᴛ',
  U: 'Սꓴᴜ',
  u: 'սυ',
  V: 'ѴꓦᏙᴠ',
  v: 'ѵν',
  W: 'ԜꓪᎳᏔᴡ',
  w: 'ԝ',
  X: 'ХΧꓫ',
  x: 'хχ',
  Y: 'УҮΥꓬʏ',
  y: 'уүγᎩ',
  Z: 'ΖꓜᏃᴢ',
  '3': 'З',
  '6': 'б',
  th: 'þ',
  ss: 'ß',
  ae: 'æ',
  oe: 'œ',
  "'": '‘’‛ʼʹ′',
}
const table = Object.entries(lookalikes).flatMap(([latin, chars]) => [...chars].map((char) => [latin, char] as const))

describe('letters of other scripts that look like Latin ones', () => {
  it('reads every look-alike as the Latin it shows, in text and in labels', () => {
    expect(table).toHaveLength(172)
    for (const [latin, char] of table) {
      const code = `${char} U+${char.codePointAt(0)!.toString(16)}`
      expect(lookalike(char), code).toBe(latin)
      expect(read(char), code).toBe(latin.toLowerCase())
      expect(fold(char, 'text', { keepCase: true }).text, code).toBe(latin)
      // NFKC comes first in readLabel, and turns the lunate sigmas ϲ and Ϲ into ς and Σ: they are not read as C there.
      if (char.normalize('NFKC') === char) expect(readLabel(char), code).toBe(latin)
    }
    // Nothing else is in the table.
    const others = [...codePoints((c) => lookalike(c) !== undefined)]
    expect(others.sort()).toEqual(table.map(([, char]) => char).sort())
  })

  it('reads a capital of a look-alike letter as that letter too', () => {
    let count = 0
    for (const [latin, char] of table) {
      const capital = char.toUpperCase()
      if (capital === char || capital.length > 1 || lookalike(capital) !== undefined) continue
      expect(read(capital), `${capital} U+${capital.codePointAt(0)!.toString(16)}`).toBe(latin.toLowerCase())
      count++
    }
    expect(count).toBeGreaterThan(20)
  })

  it('finds a name written with any look-alike', () => {
    for (const [latin, char] of table) {
      const matcher = createMatcher([{ id: 'P01', names: [`Bo${latin}ra Doe`], other: [] }])
      const text = `Thanks to Bo${char}ra Doe.`
      expect(matcher.find(text).map((m) => text.slice(m.start, m.end)), char).toEqual([`Bo${char}ra Doe`])
    }
  })

  it('keeps look-alikes within Latin apart, so that ordinary words are not taken for names', () => {
    expect([read('0'), read('O'), read('l'), read('I'), read('rn'), read('m')]).toEqual(['0', 'o', 'l', 'i', 'rn', 'm'])
    expect(lookalike('a')).toBeUndefined()
    expect(lookalike('0')).toBeUndefined()
    const matcher = createMatcher([{ id: 'P01', names: ['Ian', 'Olga', 'Kim'], other: [] }])
    expect(matcher.find('A LAN party, 0lga and Klm were there, with 1an.')).toEqual([])
  })

  it('reads a label as written, but for compatibility forms, invisible characters and look-alikes', () => {
    expect(['Ｐ０５', 'P\u200b05', '\u042005', 'P05', 'p05', 'P 05', '𝐏05'].map(readLabel)).toEqual(['P05', 'P05', 'P05', 'P05', 'p05', 'P 05', 'P05'])
  })
})
