import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ensureEngine } from "../engine/binaries";
import { DEFAULT_KEEP, EtcdEndpoint, EtcdTools, listSnapshots, takeSnapshot, verifySnapshot } from "./snapshots";
import { option, runCli } from "../cli";

const DEFAULT_DIR = path.resolve(__dirname, "..", "..", "backups", "etcd");

const USAGE = `usage: npm run etcd -- backup [--minikube PROFILE | --endpoints URL [--cacert F --cert F --key F]]
                          [--name NAME] [--dir DIR] [--keep N]
       npm run etcd -- list [--name NAME] [--dir DIR]
       npm run etcd -- verify FILE
       npm run etcd -- runbook [--minikube PROFILE]

etcd holds every object of a cluster. On the self-managed stack backing it up is your job: this takes a
snapshot from outside the cluster (etcdctl, built by tools/engine/build.sh, over etcd's client port), stores it
outside the cluster in DIR/etcd-NAME-<UTC time>.db with its sha256 beside it, verifies it with etcdutl, and
keeps the newest N. \`runbook\` prints how to restore one into minikube.

  --minikube PROFILE   the etcd of that minikube (default profile: minikube): its client port on the node's
                       address, with the node's etcd client certificate, read over \`minikube ssh\`
  --endpoints URL      any etcd, e.g. http://127.0.0.1:2379, with TLS files if it needs them
  --name NAME          in the file names (default: the profile, or "etcd")
  --dir DIR            where snapshots go (default: backups/etcd, which git ignores)
  --keep N             snapshots of NAME to keep (default: ${DEFAULT_KEEP})`;

function tools(): EtcdTools {
    const engine = ensureEngine();
    return { etcdctl: engine.binary("etcdctl"), etcdutl: engine.binary("etcdutl") };
}

/** minikube's etcd: the node's address, and its etcd client certificate copied to a private temp folder. */
function minikubeEndpoint(profile: string): { endpoint: EtcdEndpoint; cleanup: () => void } {
    const minikube = (args: string[]) => execFileSync("minikube", ["-p", profile, ...args], { encoding: "utf8" });
    const ip = minikube(["ip"]).trim();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "first-k8s-etcd-certs-"));
    const copy = (name: string) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, minikube(["ssh", "--", "sudo", "cat", `/var/lib/minikube/certs/etcd/${name}`]), {
            mode: 0o600,
        });
        return file;
    };
    return {
        endpoint: {
            url: `https://${ip}:2379`,
            tls: {
                caFile: copy("ca.crt"),
                certFile: copy("healthcheck-client.crt"),
                keyFile: copy("healthcheck-client.key"),
            },
        },
        cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}

function runbook(profile: string): string {
    return `Restore an etcd snapshot into minikube profile ${profile} (every object goes back to the snapshot's time):

  1. Restore the snapshot into a new data directory, here, with the etcdutl tools/engine/build.sh built:
       IP=$(minikube -p ${profile} ip)
       etcdutl snapshot restore SNAPSHOT.db --data-dir ./etcd-restore --name ${profile} \\
         --initial-cluster ${profile}=https://$IP:2380 --initial-advertise-peer-urls https://$IP:2380 \\
         --bump-revision 1000000000 --mark-compacted
       tar -C ./etcd-restore -czf etcd-restore.tgz .
       minikube -p ${profile} cp etcd-restore.tgz /tmp/etcd-restore.tgz
  2. Stop the control plane: the kubelet stops the static pods whose manifests leave its folder.
       minikube -p ${profile} ssh -- sudo mv /etc/kubernetes/manifests /etc/kubernetes/manifests.off
       minikube -p ${profile} ssh -- 'while sudo crictl ps -q --name etcd | grep -q .; do sleep 1; done'
  3. Swap the data directory, keeping the old one:
       minikube -p ${profile} ssh -- 'sudo mv /var/lib/minikube/etcd /var/lib/minikube/etcd.before-restore &&
         sudo mkdir -m 700 /var/lib/minikube/etcd && sudo tar -C /var/lib/minikube/etcd -xzf /tmp/etcd-restore.tgz'
  4. Start the control plane again, and wait for it:
       minikube -p ${profile} ssh -- sudo mv /etc/kubernetes/manifests.off /etc/kubernetes/manifests
       kubectl --context ${profile} wait --for=condition=Ready node --all --timeout=180s
  5. Let Pulumi read what is there now: pulumi refresh --stack dev

The same restore (etcdutl into a stopped control plane's data directory, the revision bumped and compacted) is
what the engine tests run against their local control plane (tests/engine/etcdBackup.engine.test.ts).`;
}

async function main(argv: readonly string[]): Promise<number> {
    const command = argv[0];
    if (command === undefined || argv.includes("--help") || argv.includes("-h")) {
        console.log(USAGE);
        return command === undefined ? 2 : 0;
    }
    const dir = path.resolve(option(argv, "--dir") ?? DEFAULT_DIR);
    const profile = argv.includes("--minikube") ? (option(argv, "--minikube") ?? "minikube") : undefined;
    const name = option(argv, "--name") ?? profile ?? "etcd";
    switch (command) {
        case "backup": {
            const keep = Number(option(argv, "--keep") ?? String(DEFAULT_KEEP));
            if (!Number.isSafeInteger(keep) || keep < 1) {
                console.error(`error: --keep must be a whole number of at least 1, not "${option(argv, "--keep")}"`);
                return 2;
            }
            const url = option(argv, "--endpoints");
            if ((url === undefined) === (profile === undefined)) {
                console.error(`${USAGE}\n\nerror: name one etcd: --minikube PROFILE or --endpoints URL`);
                return 2;
            }
            const cacert = option(argv, "--cacert");
            const cert = option(argv, "--cert");
            const key = option(argv, "--key");
            const target =
                url !== undefined
                    ? {
                          endpoint: {
                              url,
                              tls: cacert && cert && key ? { caFile: cacert, certFile: cert, keyFile: key } : undefined,
                          },
                          cleanup: () => undefined,
                      }
                    : minikubeEndpoint(profile ?? "minikube");
            try {
                const { snapshot, deleted } = takeSnapshot(tools(), target.endpoint, { dir, name, keep });
                console.log(
                    `${path.relative(process.cwd(), snapshot.file)}: revision ${snapshot.status.revision}, ` +
                        `${snapshot.status.totalKey} keys, ${snapshot.status.totalSize} bytes, sha256 ${snapshot.sha256}`,
                );
                for (const file of deleted) {
                    console.log(`deleted ${path.relative(process.cwd(), file)} (keeping the newest ${keep})`);
                }
            } finally {
                target.cleanup();
            }
            return 0;
        }
        case "list":
            for (const file of listSnapshots(dir, name)) {
                console.log(path.relative(process.cwd(), file));
            }
            return 0;
        case "verify": {
            const file = argv[1];
            if (file === undefined) {
                console.error("error: name the snapshot file to verify");
                return 2;
            }
            const snapshot = verifySnapshot(tools(), file);
            console.log(
                `${file}: sha256 matches; revision ${snapshot.status.revision}, ${snapshot.status.totalKey} keys`,
            );
            return 0;
        }
        case "runbook":
            console.log(runbook(profile ?? "minikube"));
            return 0;
        default:
            console.error(`${USAGE}\n\nerror: unknown command "${command}"`);
            return 2;
    }
}

runCli(main);
