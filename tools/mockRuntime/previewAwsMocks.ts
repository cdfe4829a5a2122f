import { awsMocks } from "./awsMocks";
import { MockTable } from "./recordingMocks";
import { UNKNOWN_OUTPUT as UNKNOWN } from "./runProgram";

/**
 * The AWS types awsMocks knows, answered as `pulumi preview` does before anything exists: every resource
 * has only its inputs, so whatever AWS computes (ids, ARNs, endpoints, digests, load balancer names) stays
 * unknown, and the two lookups return marked placeholders instead of a made-up account's values. Unknown
 * types still fail, as in awsMocks.
 */
export function previewAwsMocks(): MockTable {
    const known = awsMocks();
    const resources: Record<string, NonNullable<MockTable["resources"]>[string]> = {};
    for (const type of Object.keys(known.resources ?? {})) {
        if (type.startsWith("kubernetes:") && !type.startsWith("kubernetes:helm.sh/")) {
            // The default Kubernetes handling applies: inputs only, no status from the cloud.
            continue;
        }
        resources[type] = (args) => ({ id: undefined, state: type.startsWith("pulumi:providers:") ? args.inputs : {} });
    }
    return {
        resources,
        calls: {
            "aws:eks/getAddonVersion:getAddonVersion": (args) => ({ ...args.inputs, version: UNKNOWN }),
            "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
                names: [1, 2, 3, 4, 5, 6].map((zone) => `<zone ${zone}, ${UNKNOWN.slice(1, -1)}>`),
                zoneIds: [1, 2, 3, 4, 5, 6].map((zone) => `<zone id ${zone}, ${UNKNOWN.slice(1, -1)}>`),
            }),
            "aws:ecr/getAuthorizationToken:getAuthorizationToken": () => ({
                userName: UNKNOWN,
                password: UNKNOWN,
                proxyEndpoint: UNKNOWN,
            }),
        },
    };
}
