/**
 * Prepares an Uptime Kuma data directory with Kuma's own code, before Kuma first starts on it: run with
 * the Kuma checkout as the working directory (its database module reads ./db relative to it) and the
 * data directory as the argument. SQLite is chosen in db-config.json (else Kuma serves a "pick a
 * database" page instead), Kuma's migrations are run, and its update check is turned off, since Kuma
 * otherwise fetches its latest version from the internet the moment it listens.
 */
const fs = require("node:fs");
const path = require("node:path");

async function main() {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error("usage: node kuma-data.cjs DATA_DIR (from the Kuma checkout)");
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, "db-config.json"), JSON.stringify({ type: "sqlite" }));
  const Database = require(path.resolve("server/database.js"));
  const { Settings } = require(path.resolve("server/settings.js"));
  Database.initDataDir({ "data-dir": dataDir });
  await Database.connect();
  await Database.patch();
  await Settings.set("checkUpdate", false);
  await Database.close();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
