import { AwsAccountOptions, MockAwsAccount } from "./awsAccount";
import { AwsMockContext, ServiceMocks } from "./aws/context";
import { dockerBuildMocks } from "./aws/dockerBuild";
import { ec2Mocks } from "./aws/ec2";
import { ecrMocks } from "./aws/ecr";
import { eksMocks } from "./aws/eks";
import { eksClusterMocks } from "./aws/eksCluster";
import { elbMocks } from "./aws/elb";
import { helmMocks } from "./aws/helm";
import { iamMocks } from "./aws/iam";
import { kmsMocks } from "./aws/kms";
import { logsMocks } from "./aws/logs";
import { randomMocks } from "./aws/random";
import { zoneMocks } from "./aws/zones";
import { CallMock, MockTable, ResourceMock } from "./recordingMocks";

export { MOCK_ACCOUNT_ID } from "./aws/ids";
export { mockAddonVersion } from "./aws/eks";

/*
 * What the AWS, awsx, eks, docker-build, random and Helm providers return for what the EKS target creates: per
 * service (aws/*.ts), only the outputs the program reads (and the few a test checks of what AWS made), each checked
 * by tsc against the provider's own output types (aws/mockOutputs.ts). Values are placeholders (aws/ids.ts). Remote
 * components (awsx:ec2:Vpc, eks:index:Cluster, eks:index:ManagedNodeGroup) arrive as one resource each; what the
 * program reads of their children (eks.Cluster's eksCluster) is a plain object in their outputs, where the real
 * engine would hand back a resource reference.
 *
 * Like AWS, the mocks refuse a create that names what does not exist yet, a second log group of a name, and a
 * Kubernetes version or upgrade policy EKS would not take (awsAccount.ts).
 */

const SERVICES: readonly ServiceMocks[] = [
    zoneMocks,
    ec2Mocks,
    eksClusterMocks,
    eksMocks,
    iamMocks,
    kmsMocks,
    logsMocks,
    ecrMocks,
    elbMocks,
    helmMocks,
    randomMocks,
    dockerBuildMocks,
];

/**
 * A fresh mock table. It remembers the region of each AWS provider it sees, so ARNs, zones and endpoints
 * follow the program's explicit provider; a remote component, which is registered without a provider
 * reference, gets the region of the one AWS provider (and fails if there are several).
 */
export function awsMocks(options: AwsAccountOptions = {}): MockTable {
    const regionsByProviderId = new Map<string, string>();
    const context: AwsMockContext = {
        account: new MockAwsAccount(options),
        stackLifetime: options.stackLifetime ?? 1,
        regionOf: (providerRef, what) => {
            const region = regionsByProviderId.get(providerRef?.split("::").pop() ?? "");
            if (region !== undefined) {
                return region;
            }
            const regions = [...new Set(regionsByProviderId.values())];
            if (regions.length !== 1) {
                throw new Error(
                    `Mock: ${what} has no AWS provider of its own and there are ${regions.length} AWS regions to choose from`,
                );
            }
            return regions[0];
        },
    };
    const resources: Record<string, ResourceMock> = {
        "pulumi:providers:aws": (args) => {
            const id = `${args.name}-provider-id`;
            regionsByProviderId.set(id, String(args.inputs.region ?? "us-east-1"));
            return { id, state: args.inputs };
        },
    };
    const calls: Record<string, CallMock> = {};
    for (const service of SERVICES) {
        const table = service(context);
        for (const token of [...Object.keys(table.resources ?? {}), ...Object.keys(table.calls ?? {})]) {
            if (token in resources || token in calls) {
                throw new Error(`Mock: two AWS service mocks answer ${token}`);
            }
        }
        Object.assign(resources, table.resources);
        Object.assign(calls, table.calls);
    }
    return { resources, calls };
}
