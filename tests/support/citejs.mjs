// Reads citation downloads as a reference manager would, with citation-js.
// Standard input: a JSON array of {"format": "bibtex" | "ris" | "csl", "text": "..."}.
// Standard output: a JSON array, one {"items": [...], "apa": [...]} per input:
// the CSL-JSON items citation-js read, and each rendered as an APA 7
// bibliography entry in plain text (the APA style citation-js ships).
// One process reads many files: starting Node and citation-js takes seconds.
import { Cite } from '@citation-js/core'
import '@citation-js/plugin-bibtex'
import '@citation-js/plugin-ris'
import '@citation-js/plugin-csl'
import { readFileSync } from 'node:fs'

const PARSERS = { bibtex: '@biblatex/text', ris: '@ris/file', csl: '@csl/list+object' }

function read ({ format, text }) {
  if (!(format in PARSERS)) throw new Error(`unknown format ${format}`)
  const input = format === 'csl' ? JSON.parse(text) : text
  const cite = new Cite(input, { forceType: PARSERS[format] })
  const items = cite.data.map(({ _graph, ...item }) => item)
  const apa = items.map((item) =>
    new Cite(item).format('bibliography', { format: 'text', template: 'apa', lang: 'en-US' }).trim()
  )
  return { items, apa }
}

const requests = JSON.parse(readFileSync(0, 'utf8'))
process.stdout.write(JSON.stringify(requests.map(read)))
