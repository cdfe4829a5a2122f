/**
 * Loaded before every suite (.mocharc.json): the suites run as in a fresh shell even where a developer has
 * sourced the env file scripts/deploy-dev.sh writes. That file names the local cluster, which would make every
 * dev render use its NGINX stand-in; a suite that wants the cluster passes the variable to its own stack.
 */
import { LOCAL_CLUSTER_DIR_VARIABLE } from "../../components/config/localCluster";

delete process.env[LOCAL_CLUSTER_DIR_VARIABLE];
