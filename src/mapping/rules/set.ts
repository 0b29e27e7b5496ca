import type {DocPath} from '../document.js'
import type {Finding} from '../findings.js'
import {checkGroup, indexGroup} from './group.js'
import {at, codePath, push, sourcePath, type FileModel, type RegistryState} from './model.js'
import {applyGroup, checkRegistry} from './registry.js'
import {pushAll} from '../../collections.js'

/**
 * Validate files as a set: they are taken in order of effective date; files of the same date form one
 * change. Codes retired by an earlier decision are never used again. With a registry, each change is
 * checked against the registry as it would be after the earlier ones.
 */
export function checkSet(files: FileModel[], registry?: RegistryState): Finding[] {
  const out: Finding[] = []
  const dated = files.filter((f) => !f.schema.broken.decision)
  const undated = files.filter((f) => f.schema.broken.decision)

  const decisions = new Map<string, FileModel>()
  for (const f of dated) {
    const d = f.mapping.decision
    const key = `${d.number}\0${f.mapping.province?.code ?? ''}\0${d.effective}`
    const other = decisions.get(key)
    if (other)
      out.push(
        f.doc.finding(
          'duplicate-decision',
          ['decision', 'number'],
          `decision ${d.number} for this province is already stated in ${other.doc.file}`,
        ),
      )
    else decisions.set(key, f)
  }

  const groups = new Map<string, FileModel[]>()
  for (const f of [...dated].sort((a, b) =>
    a.mapping.decision.effective < b.mapping.decision.effective
      ? -1
      : a.mapping.decision.effective > b.mapping.decision.effective
        ? 1
        : 0,
  ))
    push(groups, f.mapping.decision.effective, f)

  const earlier = new Map<string, {f: FileModel; path: DocPath}>()
  const state = registry ? new Map(registry) : undefined
  for (const group of groups.values()) {
    const g = indexGroup(group)
    pushAll(out, checkGroup(group, state, g), checkReuse(group, earlier))
    if (state) {
      pushAll(out, checkRegistry(group, g, state))
      applyGroup(group, g, state)
    }
    for (const code of g.retired) {
      const src = g.sourcesByCode.get(code)?.[0]
      const r = g.retireByCode.get(code)
      if (src) earlier.set(code, {f: src.f, path: sourcePath(src.u, src.s)})
      else if (r) earlier.set(code, {f: r.f, path: ['retire', r.index, 'code']})
    }
  }
  // Files without a valid decision still get the rules that need no date.
  for (const f of undated) pushAll(out, checkGroup([f], registry))
  return out
}

function checkReuse(group: FileModel[], earlier: Map<string, {f: FileModel; path: DocPath}>): Finding[] {
  const out: Finding[] = []
  for (const f of group)
    for (const u of f.units)
      for (const [code, path] of [
        [u.code, codePath(u)] as const,
        ...u.sources.filter((s) => s.code !== u.code).map((s) => [s.code, sourcePath(u, s)] as const),
      ]) {
        const e = earlier.get(code)
        if (e)
          out.push(
            f.doc.finding(
              'retired-code-reused',
              path,
              `${code} was retired by ${e.f.mapping.decision.number}, effective ${e.f.mapping.decision.effective} (${at(e.f, e.path)}); a retired code is never used again`,
            ),
          )
      }
  return out
}
