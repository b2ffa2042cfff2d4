import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import { parse as parseConnectionString } from "pg-connection-string";
import { baselineWasmOnly } from "../baseline-wasm.ts";

const require = createRequire(import.meta.url);

/** The bg module is the JS half of the wasm-bindgen pair; the .wasm imports its functions by name. */
type WasmExports = Record<string, unknown>;
type BgModule = typeof import("@prisma/schema-engine-wasm/schema_engine_bg") & {
  __wbg_set_wasm(exports: WasmExports): void;
};
/** Node has WebAssembly; @types/node 20 does not describe it, so we name the one call we make. */
const { WebAssembly } = globalThis as unknown as {
  WebAssembly: {
    instantiate(bytes: Buffer, imports: Record<string, unknown>): Promise<{ instance: { exports: WasmExports } }>;
  };
};

let bindings: Promise<BgModule> | undefined;

/**
 * Prisma's schema engine compiled to WebAssembly: migrations without downloading a native binary.
 * Its package entry imports the .wasm as an ES module, which Node 20 cannot do, so we instantiate
 * it by hand exactly as that entry would.
 */
function loadBindings(): Promise<BgModule> {
  bindings ??= (async () => {
    const bg = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as BgModule;
    const wasmPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg").replace(/\.js$/, ".wasm");
    baselineWasmOnly();
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      "./schema_engine_bg.js": bg,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  return bindings;
}

const PG_CATALOG_CHAR = 18;
const PG_TEXT = 25;
type PerformIO = (query: unknown) => Promise<{ fields: { dataTypeID: number }[] }>;
type QueryRaw = (query: unknown) => Promise<{ columnTypes: number[] }>;

type PgConfig = {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
};
type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;

/**
 * A PrismaPg that mends four gaps of @prisma/adapter-pg 7.10 which only the schema engine hits:
 * - the engine's catalog queries return `"char"` columns (pg_constraint.contype), which the adapter
 *   refuses as an unsupported type; they are one character, so we report them as such;
 * - its shadow database config is `{...config, database}`, which a `connectionString` would
 *   silently override (pointing the "shadow" at the real database), so we pass parsed fields;
 * - it drops the shadow database before closing its own pool on it, which PostgreSQL refuses
 * - it runs a migration script split at every `;`, which breaks a `DO $$ … $$` block, so we send
 *   the script whole, as Prisma's native engine and psql do.
 * It also remembers every connection it opens so the command can close them and exit at once.
 */
class MigrationPg extends PrismaPg {
  private readonly opened: Adapter[] = [];

  constructor(private readonly pgConfig: PgConfig) {
    super(pgConfig);
  }

  override async connect(): Promise<Adapter> {
    const adapter = withWholeScripts(withCatalogChars(await super.connect()));
    this.opened.push(adapter);
    return adapter;
  }

  override async connectToShadowDb(): Promise<Adapter> {
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    const admin = await this.connect();
    await admin.executeScript(`CREATE DATABASE "${name}"`);
    const shadow = await new MigrationPg({ ...this.pgConfig, database: name }).connect();
    const closeShadow = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await closeShadow();
      await admin.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    };
    return shadow;
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled(this.opened.splice(0).map((adapter) => adapter.dispose()));
  }
}

function withCatalogChars(adapter: Adapter): Adapter {
  const target = adapter as unknown as { performIO: PerformIO; queryRaw: QueryRaw };
  const performIO = target.performIO.bind(adapter);
  const queryRaw = target.queryRaw.bind(adapter);
  const charColumns = new WeakMap<object, number[]>();
  target.performIO = async (query) => {
    const result = await performIO(query);
    const found: number[] = [];
    result.fields.forEach((field, i) => {
      if (field.dataTypeID !== PG_CATALOG_CHAR) return;
      field.dataTypeID = PG_TEXT;
      found.push(i);
    });
    if (found.length) charColumns.set(query as object, found);
    return result;
  };
  // The describer reads pg_constraint.contype of CHECK constraints as a char, not as text.
  target.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const i of charColumns.get(query as object) ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
    return result;
  };
  return adapter;
}

type Queryable = { query(sql: string): Promise<unknown> };

function withWholeScripts(adapter: Adapter): Adapter {
  const target = adapter as unknown as { onError(error: unknown): never };
  adapter.executeScript = async (script) => {
    try {
      // One simple-protocol query: PostgreSQL parses the statements itself and runs them as one transaction.
      await (adapter.underlyingDriver() as Queryable).query(script);
    } catch (error) {
      target.onError(error);
    }
  };
  return adapter;
}

function toPgConfig(connectionString: string): PgConfig {
  const { host, port, user, password, database } = parseConnectionString(connectionString);
  return {
    host: host ?? undefined,
    port: port ? Number(port) : undefined,
    user,
    password,
    database: database ?? undefined,
  };
}

export interface OpenSchemaEngine {
  engine: SchemaEngine;
  close(): Promise<void>;
}

/** Opens a schema engine on `connectionString`; shadow databases come from the same server. */
export async function openSchemaEngine(connectionString: string, datamodel: string): Promise<OpenSchemaEngine> {
  const { SchemaEngine } = await loadBindings();
  const pg = new MigrationPg(toPgConfig(connectionString));
  const engine = await SchemaEngine.new(
    { datamodels: [["schema.prisma", datamodel]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(pg),
  );
  return {
    engine,
    close: async () => {
      engine.free();
      await pg.closeAll();
    },
  };
}
