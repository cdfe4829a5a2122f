import { MockAwsAccount } from "../awsAccount";
import { MockTable } from "../recordingMocks";

/** What every service's mocks share: the account's state and the region of each AWS provider. */
export interface AwsMockContext {
    readonly account: MockAwsAccount;
    /**
     * The region of the AWS provider a resource or call names (its "urn::id" reference). A remote component is
     * registered without one and gets the region of the one AWS provider; `what` names it when there are several.
     */
    regionOf(providerRef: string | undefined, what: string): string;
    /** Which creation of the stack this run is (AwsAccountOptions.stackLifetime). */
    readonly stackLifetime: number;
}

/** One service's mocks: its resource types and calls, answered against the shared context. */
export type ServiceMocks = (context: AwsMockContext) => MockTable;
