import type {ApproveResult, GeneratedKey} from '../../plan/approvals.js'
import {count} from './format.js'

/** The note (stderr) after `sapxep plan --out FILE`. */
export function renderPlanSaved(saved: {out: string; digest: string; bytes: number}): string {
  return `Saved plan ${saved.out} (${saved.digest}, ${count(saved.bytes)} bytes)`
}

/** `sapxep plan keygen`: the two files and the key's fingerprint. */
export function renderKeygen(key: GeneratedKey): string {
  return [
    `Private key ${key.privateKey} (keep it secret)`,
    `Public key  ${key.publicKey} (give it to the team that applies plans)`,
    `Fingerprint ${key.key}`,
  ].join('\n')
}

/** `sapxep plan approve`: the plan, the key (and signer) that approved it, and its approvals now. */
export function renderApprove(r: ApproveResult): string {
  const signer = r.signer ? ` as ${r.signer}` : ''
  return `Approved ${r.path} (${r.digest}) with key ${r.key}${signer}; the plan has ${r.approvals} approval(s).`
}
