// "Edit this page" and "Last updated" for each chapter, from report.yml's
// `repository` (with `branch` and `content_path`) and the dates the loader
// read from git. Plain data for the templates.

import type { ReportConfig } from '../config/report.js'

export interface PageHistory {
  editUrl: string | null
  updated: { iso: string; text: string } | null
}

/** The start of every edit link, or null when report.yml names no repository. */
export function editBase(report: ReportConfig, repositoryPath: string | undefined): string | null {
  if (!report.repository) return null
  const repo = report.repository.replace(/\.git$/, '').replace(/\/+$/, '')
  const branch = report.branch ?? 'main'
  const folder = (report.content_path ?? repositoryPath ?? 'content').replace(/^\.?\/+|\/+$/g, '')
  // GitLab puts its edit view under `/-/`; GitHub, Gitea and Forgejo at `/edit/`.
  const edit = new URL(repo).hostname.includes('gitlab') ? '-/edit' : 'edit'
  return `${repo}/${edit}/${encodePath(branch)}/${folder === '' ? '' : `${encodePath(folder)}/`}`
}

export function pageHistory(base: string | null, path: string, updated: string | undefined): PageHistory {
  return {
    editUrl: base === null ? null : `${base}${encodePath(path)}`,
    updated: updated === undefined ? null : { iso: updated, text: formatDay(updated) },
  }
}

const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })

/** The calendar day of an ISO date, as written where it was recorded: `2025-09-03T23:10:00+02:00` is 3 September 2025. */
function formatDay(iso: string): string {
  const day = iso.slice(0, 10)
  const date = new Date(`${day}T00:00:00Z`)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(date.getTime())) return iso
  return dayFormat.format(date)
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/')
}
