import { type ConnectionOptions, type Job, type JobsOptions, Queue, Worker, type WorkerOptions } from "bullmq";
import type { z } from "zod";
import { closeWorker } from "./close-worker.ts";
import { JOBS, type JobKind, type JobPayload, type QueueAt } from "./jobs.ts";

interface JobDef<P, At> {
  name: string;
  queue(at: At): string;
  schema: z.ZodType<P>;
  options: JobsOptions;
  jobId(payload: P): string;
}

/** The catalog seen per kind, so generic code can use one kind's entry with that kind's payload. */
const CATALOG: { [K in JobKind]: JobDef<JobPayload<K>, QueueAt<K>> } = JOBS;

/** Where a kind's queue lives: the Redis connection, bullPrefix(REDIS_PREFIX), and the region for checks. */
export type QueueLocation<K extends JobKind> = { connection: ConnectionOptions; prefix: string } & QueueAt<K>;

/** A job to add in bulk: its payload and, for a job due later, how long from now. */
export interface JobInput<K extends JobKind> {
  payload: JobPayload<K>;
  delayMs?: number;
}

/** Job states in which a job will still run, or is running. */
const LIVE_STATES = new Set(["waiting", "active", "delayed", "prioritized", "waiting-children"]);

function queueName<K extends JobKind>(kind: K, at: QueueLocation<K>): string {
  return CATALOG[kind].queue(at);
}

/**
 * One kind's queue, as producers use it: every job gets the kind's options and job id, so adding a
 * job that is already queued (or recently done) is absorbed by BullMQ. `bull` is the BullMQ queue
 * itself, for reads (counts, a job's state).
 */
export class JobQueue<K extends JobKind> {
  readonly bull: Queue;

  constructor(
    readonly kind: K,
    at: QueueLocation<K>,
  ) {
    this.bull = new Queue(queueName(kind, at), { connection: at.connection, prefix: at.prefix });
  }

  async enqueue(payload: JobPayload<K>, delayMs = 0): Promise<void> {
    const { name, data, opts } = this.job({ payload, delayMs });
    await this.bull.add(name, data, opts);
  }

  /** Adds many jobs in one round trip to Redis; returns how many were given. */
  async addBulk(jobs: readonly JobInput<K>[]): Promise<number> {
    if (jobs.length > 0) await this.bull.addBulk(jobs.map((job) => this.job(job)));
    return jobs.length;
  }

  /**
   * Adds the job unless a live one (waiting, delayed, running) holds its id; a finished one still
   * holding it would absorb the add, so it is removed first. Returns whether the job was added.
   */
  async replaceFinished(input: JobInput<K>): Promise<boolean> {
    const { name, data, opts } = this.job(input);
    const existing = opts.jobId ? await this.bull.getJob(opts.jobId) : undefined;
    if (existing && LIVE_STATES.has(await existing.getState())) return false;
    await existing?.remove();
    await this.bull.add(name, data, opts);
    return true;
  }

  close(): Promise<void> {
    return this.bull.close();
  }

  private job({ payload, delayMs = 0 }: JobInput<K>): { name: string; data: JobPayload<K>; opts: JobsOptions } {
    const entry = CATALOG[this.kind];
    const opts: JobsOptions = { ...entry.options, jobId: entry.jobId(payload) };
    if (delayMs > 0) opts.delay = Math.round(delayMs);
    return { name: entry.name, data: payload, opts };
  }
}

export function openQueue<K extends JobKind>(kind: K, at: QueueLocation<K>): JobQueue<K> {
  return new JobQueue(kind, at);
}

export type JobHandler<K extends JobKind> = (payload: JobPayload<K>, job: Job, token?: string) => Promise<void>;

export type WorkOptions<K extends JobKind> = QueueLocation<K> &
  Omit<WorkerOptions, "connection" | "prefix"> & {
    /**
     * A payload its schema refuses. Without it the job fails with the zod error (and is retried by the
     * kind's policy); with it, the job is this function's to settle.
     */
    onInvalid?: (job: Job, error: z.ZodError) => Promise<void>;
  };

/** A running consumer of one kind's queue. `bull` is the BullMQ worker, for its events. */
export interface JobWorker {
  readonly bull: Worker;
  /** Stops taking jobs and waits for those in flight; safe to call while the worker is still starting. */
  close(): Promise<void>;
}

/** Consumes one kind's queue: each job's payload is parsed with the kind's schema before `handler` sees it. */
export function work<K extends JobKind>(kind: K, handler: JobHandler<K>, options: WorkOptions<K>): JobWorker {
  const { onInvalid, ...workerOptions } = options;
  const schema = CATALOG[kind].schema;
  const processor = async (job: Job, token?: string) => {
    const parsed = schema.safeParse(job.data);
    if (parsed.success) return handler(parsed.data, job, token);
    if (onInvalid) return onInvalid(job, parsed.error);
    throw parsed.error;
  };
  const bull = new Worker(queueName(kind, options), processor, workerOptions);
  return { bull, close: () => closeWorker(bull) };
}
