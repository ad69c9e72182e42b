// The questions `fieldnotes init` asks on a terminal, for whatever the flags
// left open. Elsewhere (CI, a pipe) nothing is asked and defaults apply.

import { createInterface } from 'node:readline/promises'
import { defaultLicense, defaultTitle, type InitAnswers } from './skeleton.js'

/** `given` with the answers it lacks asked for on `input`/`output`. An empty answer takes the default. */
export async function askMissing(given: InitAnswers, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<InitAnswers> {
  const lines = createInterface({ input, output })
  try {
    const answers: InitAnswers = { ...given }
    if (given.title === undefined) answers.title = (await lines.question(`Title of the report (${defaultTitle}): `)).trim() || defaultTitle
    if (given.authors === undefined) {
      const names = await lines.question('Authors, separated by commas (none for now): ')
      answers.authors = names.split(',').map((name) => name.trim()).filter((name) => name !== '')
    }
    if (given.license === undefined) answers.license = (await lines.question(`Licence of the text, as an SPDX id (${defaultLicense}): `)).trim() || defaultLicense
    return answers
  } finally {
    lines.close()
  }
}
