/**
 * What to run next, after the commands of the workflow (stderr, as Terraform does): a new user follows
 * the README's steps from the tool itself. Pure: each takes what the command just did.
 */

const q = (s: string): string => (/^[\w./:@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`)

/** After `plan --out FILE`. */
export function nextAfterPlan(file: string): string {
  const f = q(file)
  return (
    `Next: review it (sapxep show ${f} --format html --out plan.html), have it approved ` +
    `(sapxep plan approve ${f} --key KEY.pem), rehearse and apply it (sapxep apply ${f} --dry-run, then --yes).`
  )
}

/** After `registry import units`. */
export function nextAfterUnitsImport(): string {
  return (
    'Next: import the systems’ exports (sapxep registry import agencies|accounts|mailboxes|endpoints FILE) ' +
    'or seed a sample (sapxep registry seed --sample nam-dinh).'
  )
}

/** After `registry import agencies|accounts|mailboxes|endpoints`. */
export function nextAfterExportImport(): string {
  return 'Next: check a mapping against the registry (sapxep mapping validate MAPPING --registry).'
}

/** After `registry seed`. */
export function nextAfterSeed(): string {
  return 'Next: sapxep mapping validate MAPPING --registry, then sapxep plan MAPPING --out plan.json.'
}

/** After a valid `mapping validate`. */
export function nextAfterValidate(paths: string[], registry: boolean): string {
  const files = paths.map(q).join(' ')
  return registry
    ? `Next: sapxep plan ${files} --out plan.json`
    : `Next: check it against the registry (sapxep mapping validate ${files} --registry), then sapxep plan ${files} --out plan.json`
}

/** After `plan approve`. */
export function nextAfterApprove(file: string, approvals: number): string {
  return `Next: sapxep apply ${q(file)} --yes --require-approvals ${approvals} --trusted-keys DIR`
}

/** After `mapping import`. */
export function nextAfterMappingImport(outDir: string): string {
  return `Next: sapxep mapping validate ${q(outDir)}, then with --registry against yours.`
}
