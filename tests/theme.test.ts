// The theme in report.yml: its schema, the stylesheet made from it, contrast
// warnings at their keys, and the custom stylesheet, built for real on disk.

import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readReportConfig } from '../src/config/report.js'
import { fontStacks, logoPlacements, themeSchema } from '../src/config/theme.js'
import { backgrounds, contrast, darkShade, parseColour, weakestContrast } from '../src/theme/colour.js'
import { themeStylesheet } from '../src/theme/stylesheet.js'
import { attr, buildProject, repoRoot, selectAll, where } from './helpers.js'

const chapter = '# Home\n\nThe report.\n'
/** Messages' places, with the content folder named as authors see it. */
const placed = (messages: Parameters<typeof where>[0]) => where(messages).map((line) => line.replace(/^.*?content\//, 'content/'))
const exists = async (file: string) => readFile(file).then(() => true, () => false)

describe('colours', () => {
  it('reads hex, rgb(), hsl() and named colours, and refuses what is not a colour', () => {
    expect(parseColour('#1a4d8c')).toEqual({ r: 26, g: 77, b: 140, a: 1 })
    expect(parseColour('#abc')).toEqual({ r: 170, g: 187, b: 204, a: 1 })
    expect(parseColour('rgb(26 77 140)')).toEqual({ r: 26, g: 77, b: 140, a: 1 })
    expect(parseColour('rgba(26, 77, 140, .5)')).toEqual({ r: 26, g: 77, b: 140, a: 0.5 })
    expect(parseColour('hsl(120 100% 25%)')).toEqual({ r: 0, g: 128, b: 0, a: 1 })
    expect(parseColour('RebeccaPurple')).toEqual({ r: 102, g: 51, b: 153, a: 1 })
    for (const wrong of ['blurple', '#12345', 'rgb(1 2)', 'red; } body { display: none', 'url(x.png)', '']) expect(parseColour(wrong), wrong).toBeUndefined()
  })

  it('measures contrast as WCAG does, laying a see-through colour over its background', () => {
    const white = parseColour('#fff')!
    const black = parseColour('#000')!
    expect(contrast(black, white)).toBeCloseTo(21, 5)
    expect(contrast(white, white)).toBeCloseTo(1, 5)
    // #767676 is the well-known lightest grey that passes AA on white.
    expect(contrast(parseColour('#767676')!, white)).toBeGreaterThanOrEqual(4.5)
    expect(contrast(parseColour('#777777')!, white)).toBeLessThan(4.5)
    expect(contrast(parseColour('rgb(0 0 0 / 0)')!, white)).toBeCloseTo(1, 5)
  })

  it('knows the backgrounds style.css really has, in both schemes', async () => {
    const css = await readFile(path.join(repoRoot, 'public/assets/style.css'), 'utf8')
    const [light, dark] = [css.slice(0, css.indexOf('@media (prefers-color-scheme: dark)')), css.slice(css.indexOf(':root[data-theme="dark"]'))]
    for (const [scheme, block] of [['light', light], ['dark', dark]] as const) {
      for (const [name, value] of Object.entries(backgrounds[scheme])) expect(block, `${scheme} --${name}`).toContain(`--${name}: ${value};`)
    }
  })

  it('gives a colour written once a shade for the dark scheme that is readable there', () => {
    const navy = parseColour('#1a3a6b')!
    const shade = darkShade(navy)
    expect(weakestContrast(navy, 'dark').ratio).toBeLessThan(4.5)
    expect(weakestContrast(shade, 'dark').ratio).toBeGreaterThanOrEqual(4.5)
  })
})

describe('the theme block of report.yml', () => {
  it('is read with every key', () => {
    const parsed = readReportConfig(
      'report.yml',
      'theme:\n  accent: "#7a2e8a"\n  link: { light: "#0b5394", dark: "#9fc5f8" }\n  fonts:\n    body: humanist\n    headings: fonts/Display.woff2\n    code: mono\n  width: 42rem\n  logo_placement: above-title\nstyle: looks/site.css\n',
    )
    expect(parsed.messages).toEqual([])
    expect(parsed.value?.theme).toEqual({
      accent: '#7a2e8a',
      link: { light: '#0b5394', dark: '#9fc5f8' },
      fonts: { body: 'humanist', headings: 'fonts/Display.woff2', code: 'mono' },
      width: '42rem',
      logo_placement: 'above-title',
    })
    expect(parsed.value?.style).toBe('looks/site.css')
  })

  it('rejects unknown keys and wrong values at their place, with the keys it knows', () => {
    const text = [
      'title: A report',
      'theme:',
      '  accent: blurple',
      '  colour: red',
      '  link:',
      '    light: "#0b5394"',
      '    dark: "#9fc5f8"',
      '    dim: "#000"',
      '  fonts:',
      '    body: Comic Sans',
      '  width: wide',
      '  logo_placement: left',
      '',
    ].join('\n')
    const { messages } = readReportConfig('content/report.yml', text)
    expect(where(messages).sort()).toEqual(
      [
        'content/report.yml:3:11 value-type-valid',
        'content/report.yml:4:3 config-key-known',
        'content/report.yml:8:5 config-key-known',
        'content/report.yml:10:11 value-type-valid',
        'content/report.yml:11:10 value-type-valid',
        'content/report.yml:12:19 value-type-valid',
      ].sort(),
    )
    expect(messages.find((m) => m.line === 3)?.reason).toContain('not a colour')
    expect(messages.find((m) => m.line === 3)?.hint).toContain('docs/theming.md')
    expect(messages.find((m) => m.line === 4)?.hint).toContain('accent, link, fonts, width, logo_placement')
    expect(messages.find((m) => m.line === 8)?.hint).toContain('light, dark')
  })
})

describe('the theme stylesheet', () => {
  it('sets only the custom properties the theme names, as hex, in both schemes', () => {
    const css = themeStylesheet({ accent: { light: 'teal', dark: 'rgb(128 222 222)' }, width: '42rem', fonts: { body: 'old-style' } })!
    expect(css).toContain(':root { --accent: #008080; --font-body: "Iowan Old Style"')
    expect(css).toContain('--measure: 42rem; }')
    expect(css).toContain(':root[data-theme="dark"] { --accent: #80dede; }')
    expect(css).toContain(':root:not([data-theme="light"]) { --accent: #80dede; }')
    expect(css).not.toContain('--link')
    expect(themeStylesheet({})).toBeUndefined()
    expect(themeStylesheet(undefined)).toBeUndefined()
  })

  it('declares a font file with @font-face, from where it is published', () => {
    const css = themeStylesheet({ fonts: { headings: 'fonts/My Display.woff2' } })!
    expect(css).toContain('@font-face { font-family: "Report headings"; src: url("../fonts/My%20Display.woff2") format("woff2"); font-display: swap; }')
    expect(css).toContain('--font-headings: "Report headings", system-ui')
  })
})

describe('a themed report, built', () => {
  it('publishes the theme, its font file and the custom stylesheet in the generator\'s folder, linked on every page after style.css', async () => {
    const project = await buildProject({
      'report.yml': 'title: Themed\nlogo: logo.png\ntheme:\n  accent: { light: "#6b2c7a", dark: "#e0a8ee" }\n  fonts:\n    body: fonts/Body.woff2\n  logo_placement: replaces-title\n',
      'index.md': chapter,
      'logo.png': 'png',
      'fonts/Body.woff2': 'woff2',
      'custom.css': '/* url(not-a-file.png) */\n.site-footer { background: url("images/paper.png"); }\n',
      'images/paper.png': 'png',
    })
    expect(project.result.messages).toEqual([])
    for (const page of ['index.html', 'findings/index.html', 'full-report/index.html', '404.html']) {
      const links = selectAll('link[rel=stylesheet]', await project.page(page)).map((link) => String(link.properties['href']))
      // The full report alone also loads the printed report's page layout, before the theme so that the theme can change it.
      const expected = ['assets/style.css', ...(page.startsWith('full-report') ? ['assets/print.css'] : []), 'assets/theme.css', 'assets/custom.css']
      expect(links.map((href) => href.replace(/^(\.\.?\/)+|^\//, '')), page).toEqual(expected)
    }
    const theme = await readFile(path.join(project.out, 'assets/theme.css'), 'utf8')
    expect(theme).toContain('--accent: #6b2c7a;')
    expect(theme).toContain('url("../fonts/Body.woff2")')
    expect(await exists(path.join(project.out, 'fonts/Body.woff2'))).toBe(true)
    // The custom stylesheet's url() now points at where its image is published, and the image is.
    const custom = await readFile(path.join(project.out, 'assets/custom.css'), 'utf8')
    expect(custom).toContain('url("../images/paper.png")')
    expect(custom).toContain('/* url(not-a-file.png) */')
    expect(await exists(path.join(project.out, 'images/paper.png'))).toBe(true)
    // The stylesheet itself is not published where it sits: content CSS stays refused.
    expect(await exists(path.join(project.out, 'custom.css'))).toBe(false)
    // The title is kept for screen readers when the logo takes its place.
    expect(attr(await project.page('index.html'), '.site-title .site-title-text', 'className')).toBe('site-title-text')
  })

  it('leaves a report without a theme with the site\'s stylesheet alone', async () => {
    const project = await buildProject({ 'report.yml': 'title: Plain\n', 'index.md': chapter })
    expect(project.result.messages).toEqual([])
    expect(selectAll('link[rel=stylesheet]', await project.page('index.html')).map((link) => link.properties['href'])).toEqual(['./assets/style.css'])
    expect(await exists(path.join(project.out, 'assets/theme.css'))).toBe(false)
  })

  it('uses the stylesheet `style:` names, and reports one that is missing or not CSS at its value', async () => {
    const named = await buildProject({ 'report.yml': 'style: looks/site.css\n', 'index.md': chapter, 'looks/site.css': 'body { color: #222; }\n', 'custom.css': 'ignored {}' })
    expect(named.result.messages).toEqual([])
    expect(await readFile(path.join(named.out, 'assets/custom.css'), 'utf8')).toBe('body { color: #222; }\n')

    const missing = await buildProject({ 'report.yml': 'title: T\nstyle: look/site.css\n', 'index.md': chapter, 'looks/site.css': '' })
    expect(placed(missing.result.messages)).toEqual(['content/report.yml:2:8 link-target-exists'])
    expect(missing.result.messages[0]!.hint).toContain('looks/site.css')
    expect(missing.result.written).toBe(false)

    const notCss = await buildProject({ 'report.yml': 'style: site.scss\n', 'index.md': chapter, 'site.scss': '' })
    expect(placed(notCss.result.messages)).toEqual(['content/report.yml:1:8 value-type-valid'])
  })

  it('reports url()s of the custom stylesheet that are missing or leave the site, at their line and column', async () => {
    const project = await buildProject({
      'index.md': chapter,
      'custom.css': 'body {\n  background: url(missing.png);\n}\n@font-face { font-family: X; src: url("https://fonts.example.com/x.woff2"); }\nh1 { background: url(data:image/png;base64,AAAA); }\n',
    })
    expect(placed(project.result.messages)).toEqual(['content/custom.css:2:15 link-target-exists', 'content/custom.css:4:35 style-url-local'])
  })

  it('warns at the colour\'s own key when it is hard to read, in the scheme it fails in', async () => {
    const project = await buildProject({
      'report.yml': [
        'title: Faint',
        'theme:',
        '  accent: "#f0c000"',
        '  link:',
        '    light: "#0b5394"',
        '    dark: "#1c2b3a"',
        '',
      ].join('\n'),
      'index.md': chapter,
    })
    expect(placed(project.result.messages)).toEqual(['content/report.yml:3:11 theme-contrast-sufficient', 'content/report.yml:6:11 theme-contrast-sufficient'])
    const [accent, link] = project.result.messages
    expect(accent!.severity).toBe('warning')
    expect(accent!.reason).toMatch(/`#f0c000` has a contrast of 1\.\d\d:1 with the light scheme's/)
    expect(link!.reason).toContain('dark scheme')
    expect(link!.hint).toContain('lighter')
    // A warning does not stop the build.
    expect(project.result.written).toBe(true)
  })

  it('takes a colour written once as the light scheme\'s, and derives a readable dark one', async () => {
    const project = await buildProject({ 'report.yml': 'theme:\n  accent: "#1a3a6b"\n', 'index.md': chapter })
    expect(project.result.messages).toEqual([])
    const css = await readFile(path.join(project.out, 'assets/theme.css'), 'utf8')
    const dark = /:root\[data-theme="dark"\] \{ --accent: (#[0-9a-f]{6}); \}/.exec(css)![1]!
    expect(weakestContrast(parseColour(dark)!, 'dark').ratio).toBeGreaterThanOrEqual(4.5)
  })

  it('reports a theme font file that is not in the content folder at its value', async () => {
    const project = await buildProject({ 'report.yml': 'theme:\n  fonts:\n    code: fonts/Mono.woff2\n', 'index.md': chapter })
    expect(placed(project.result.messages)).toEqual(['content/report.yml:3:11 link-target-exists'])
  })
})

describe('docs/theming.md', () => {
  it('lists every built-in template, theme key, font stack, logo placement and themed custom property', async () => {
    const guide = await readFile(path.join(repoRoot, 'docs/theming.md'), 'utf8')
    const css = await readFile(path.join(repoRoot, 'public/assets/style.css'), 'utf8')
    const templates = (await readdir(path.join(repoRoot, 'templates'))).filter((name) => name.endsWith('.liquid'))
    expect(templates.length).toBeGreaterThan(10)
    for (const name of templates) expect(guide, name).toMatch(new RegExp(`^\\| \`${name.replace('.', '\\.')}\` \\|`, 'm'))
    for (const key of Object.keys(themeSchema.shape)) expect(guide, key).toContain(key === 'fonts' ? '| `fonts.body` |' : `| \`${key}\` |`)
    for (const stack of Object.keys(fontStacks)) expect(guide, stack).toContain(`| \`${stack}\` |`)
    for (const placement of logoPlacements) expect(guide, placement).toContain(`\`${placement}\``)
    // Every custom property of style.css's light scheme is in the guide's table.
    const root = css.slice(css.indexOf(':root {'), css.indexOf('}', css.indexOf(':root {')))
    for (const [, property] of root.matchAll(/(--[a-z0-9-]+):/g)) expect(guide, property).toContain(`\`${property}\``)
  })
})
