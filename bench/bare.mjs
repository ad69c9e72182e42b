// The bare unified script the benchmark compares against: read every
// markdown file, parse front matter, markdown to HTML, one template string,
// write. No checks, no cross-references, no indexes.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import matter from 'gray-matter'
import rehypeStringify from 'rehype-stringify'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'

const [input, output] = process.argv.slice(2)
const processor = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeStringify)
const page = (title, body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main>${body}</main></body></html>`

for (const name of (await readdir(input)).filter((n) => n.endsWith('.md')).sort()) {
  const { data, content } = matter(await readFile(path.join(input, name), 'utf8'))
  const html = String(await processor.process(content))
  const dir = path.join(output, name.replace(/\.md$/, ''))
  await mkdir(dir, { recursive: true })
  await writeFile(path.join(dir, 'index.html'), page(data.title ?? name, html))
}
