import { type CheckJob, type DispatchProof, type ResultJob, roundId } from "./jobs.ts";

/** Signs and verifies proofs: `keyedMac` from @upfleet/secrets, named by its shape so this package holds no key. */
export interface ProofMac {
  sign(message: string): string;
  verify(message: string, signature: string): "unknown_key" | "signature" | null;
}

/** Why a result is refused: no proof, a key or MAC that does not hold, or a field that is not the round dispatched. */
export const REJECTIONS = ["unsigned", "unknown_key", "signature", "monitor", "region", "tick", "job_id"] as const;
export type Rejection = (typeof REJECTIONS)[number];

type Round = Pick<CheckJob, "monitorId" | "organizationId" | "region" | "tick" | "intervalMs">;

/** The job id names monitor, region and tick; the organization and interval are stored with the result too. */
const signed = (jobId: string, round: Pick<Round, "organizationId" | "intervalMs">) =>
  `${jobId}\n${round.organizationId}\n${round.intervalMs}`;

/** The proof the dispatcher puts in a round's check job. */
export function proveDispatch(mac: ProofMac, round: Round): DispatchProof {
  const jobId = roundId(round);
  return { jobId, mac: mac.sign(signed(jobId, round)) };
}

/**
 * Null when `result`, queued under `jobId`, answers a round that was dispatched; otherwise why not.
 * A changed organization or interval breaks the MAC ("signature"); once the MAC holds, the proof names
 * the round dispatched, so the first field that differs from it says what the result forged.
 */
export function rejectionOf(mac: ProofMac, result: ResultJob, jobId: string | undefined): Rejection | null {
  const { proof } = result;
  if (!proof) return "unsigned";
  const refused = mac.verify(signed(proof.jobId, result), proof.mac);
  if (refused) return refused;
  const [monitorId, region, tick] = proof.jobId.split("@");
  if (monitorId !== result.monitorId) return "monitor";
  if (region !== result.region) return "region";
  if (tick !== String(result.tick)) return "tick";
  return jobId === proof.jobId ? null : "job_id";
}
