// Every module of the privacy guard loads, with the tables it builds as it
// loads (the look-alike letters, the readings of ASCII), and reads with them.
// The modules are imported by the test, not by this file: a module that throws
// as it loads then fails the test, where a file that fails to load runs no
// test at all (and a mutation run would count no failure).

import { expect, it } from 'vitest'

it('loads every module of the privacy guard, with the tables it builds', async () => {
  const { lookalike, readLabel } = await import('../src/privacy/lookalikes.js')
  const { fold } = await import('../src/privacy/fold.js')
  const { createMatcher } = await import('../src/privacy/roster.js')
  const { scanContent } = await import('../src/privacy/scan.js')
  const { scanOutput } = await import('../src/privacy/output.js')
  const { readBinary } = await import('../src/privacy/binary.js')
  const { pdfText } = await import('../src/privacy/pdf.js')
  expect([lookalike('А'), readLabel('Р05'), fold('Ｊａｎｅ - DOE').text]).toEqual(['A', 'P05', 'jane doe'])
  expect(createMatcher([{ id: 'P01', names: ['Jane Doe'], other: [] }]).find('JANE  DOE')).toHaveLength(1)
  expect([typeof scanContent, typeof scanOutput, typeof readBinary, typeof pdfText]).toEqual(['function', 'function', 'function', 'function'])
})
