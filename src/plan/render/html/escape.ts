/** Text and data made safe for the report page: HTML-escaped text, JSON for a <script> element. */
import {clean} from '../common.js'

export function escapeHtml(value: unknown): string {
  return clean(value).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

/** JSON that is safe inside a <script> element: no `</script>`, `<!--`, or line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}
