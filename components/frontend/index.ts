export { MAX_BODY_BYTES, NGINX_JSON_ERRORS, NginxConfOptions, SECURITY_HEADERS, renderNginxConf } from "./nginxConf";
