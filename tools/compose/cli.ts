import * as fs from "fs";
import * as path from "path";
import { runCli } from "../cli";
import { COMPOSE_NGINX_CONF, composeNginxConf, loadComposeFile } from "./composeFile";

const USAGE = `usage: npm run compose-config [-- --check]

Writes compose/nginx.conf: the frontend pods' nginx.conf (components/nginx/nginxConf.ts, through the same
ConfigMap content), with the upstream pointed at compose.yaml's backend service instead of the cluster's
backend Service. compose.yaml mounts it where the pods mount their ConfigMap volume.

  --check   write nothing; exit 1 if compose/nginx.conf differs from what would be written
  --help    this text`;

async function main(argv: string[]): Promise<number> {
    if (argv.includes("--help") || argv.includes("-h")) {
        console.log(USAGE);
        return 0;
    }
    const unknown = argv.filter((arg) => arg !== "--check");
    if (unknown.length > 0) {
        console.error(`${USAGE}\n\nerror: unknown argument ${unknown[0]}`);
        return 2;
    }
    const rendered = composeNginxConf(loadComposeFile());
    const shown = path.relative(process.cwd(), COMPOSE_NGINX_CONF);
    const current = fs.existsSync(COMPOSE_NGINX_CONF) ? fs.readFileSync(COMPOSE_NGINX_CONF, "utf8") : undefined;
    if (argv.includes("--check")) {
        if (current !== rendered) {
            console.error(
                `${shown} is ${current === undefined ? "missing" : "out of date"}: run npm run compose-config`,
            );
            return 1;
        }
        console.log(`${shown} is current`);
        return 0;
    }
    fs.mkdirSync(path.dirname(COMPOSE_NGINX_CONF), { recursive: true });
    fs.writeFileSync(COMPOSE_NGINX_CONF, rendered);
    console.log(`${current === rendered ? "Unchanged" : "Wrote"} ${shown}`);
    return 0;
}

runCli(main);
