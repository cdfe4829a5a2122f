import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** The files of a throw-away certificate authority and the keys one local control plane needs. */
export interface LocalPki {
    readonly caCert: string;
    readonly caKey: string;
    /** The API server's serving certificate, for 127.0.0.1 and the in-cluster names. */
    readonly apiServerCert: string;
    readonly apiServerKey: string;
    /** A client in system:masters, for the kubeconfig, the controller manager, the scheduler and kwok. */
    readonly adminCert: string;
    readonly adminKey: string;
    /** A real node's kubelet: system:node:<node name> in system:nodes, as the Node authorizer expects. */
    readonly nodeCert?: string;
    readonly nodeKey?: string;
    /** The API server's client for aggregated APIs (metrics-server), named in --requestheader-allowed-names. */
    readonly frontProxyCert?: string;
    readonly frontProxyKey?: string;
    /** Signs and verifies service account tokens. */
    readonly serviceAccountKey: string;
    readonly serviceAccountPublicKey: string;
}

function openssl(args: readonly string[], cwd: string): void {
    execFileSync("openssl", [...args], { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

function newKey(file: string, cwd: string): void {
    // P-256: quick to make, and accepted by the API server for TLS and for service account tokens (ES256).
    openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file], cwd);
}

function signedCert(dir: string, name: string, subject: string, extensions: string): { cert: string; key: string } {
    const key = path.join(dir, `${name}.key`);
    const csr = path.join(dir, `${name}.csr`);
    const cert = path.join(dir, `${name}.crt`);
    const ext = path.join(dir, `${name}.ext`);
    newKey(key, dir);
    openssl(["req", "-new", "-key", key, "-subj", subject, "-out", csr], dir);
    fs.writeFileSync(ext, extensions);
    openssl(
        [
            "x509",
            "-req",
            "-in",
            csr,
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "7",
            "-out",
            cert,
            "-extfile",
            ext,
        ],
        dir,
    );
    fs.rmSync(csr);
    fs.rmSync(ext);
    return { cert, key };
}

/** The front proxy's name, as the API server's --requestheader-allowed-names lists it. */
export const FRONT_PROXY_CLIENT = "front-proxy-client";

/**
 * Makes a CA valid for a week and everything signed by it in `dir`. Nothing leaves the folder. With `node`, the
 * API server's certificate also names the node's address, and the kubelet and front-proxy certificates are made.
 */
export function createLocalPki(dir: string, node?: { readonly name: string; readonly ip: string }): LocalPki {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    newKey("ca.key", dir);
    openssl(
        ["req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=first-k8s local CA", "-days", "7", "-out", "ca.crt"],
        dir,
    );
    const apiServer = signedCert(
        dir,
        "apiserver",
        "/CN=kube-apiserver",
        "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n" +
            `subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.96.0.1,${node ? `IP:${node.ip},` : ""}` +
            "DNS:kubernetes,DNS:kubernetes.default," +
            "DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n",
    );
    const admin = signedCert(
        dir,
        "admin",
        "/O=system:masters/CN=first-k8s-admin",
        "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n",
    );
    const clientAuth = "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n";
    const kubelet = node && signedCert(dir, "node", `/O=system:nodes/CN=system:node:${node.name}`, clientAuth);
    const frontProxy = node && signedCert(dir, "front-proxy", `/CN=${FRONT_PROXY_CLIENT}`, clientAuth);
    const serviceAccountKey = path.join(dir, "service-account.key");
    const serviceAccountPublicKey = path.join(dir, "service-account.pub");
    newKey(serviceAccountKey, dir);
    openssl(["pkey", "-in", serviceAccountKey, "-pubout", "-out", serviceAccountPublicKey], dir);
    return {
        caCert: path.join(dir, "ca.crt"),
        caKey: path.join(dir, "ca.key"),
        apiServerCert: apiServer.cert,
        apiServerKey: apiServer.key,
        adminCert: admin.cert,
        adminKey: admin.key,
        nodeCert: kubelet?.cert,
        nodeKey: kubelet?.key,
        frontProxyCert: frontProxy?.cert,
        frontProxyKey: frontProxy?.key,
        serviceAccountKey,
        serviceAccountPublicKey,
    };
}
