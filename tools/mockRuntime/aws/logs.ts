import * as aws from "@pulumi/aws";
import { ServiceMocks } from "./context";
import { autoName } from "./ids";
import { MockInputs, MockOutputs } from "./mockOutputs";

/**
 * A CloudWatch Logs group, by name: refused when the name is taken, by the stack, by EKS (a cluster with logging on
 * makes /aws/eks/<cluster>/cluster if it does not exist) or by an earlier stack (awsAccount.ts).
 */
export const logsMocks: ServiceMocks = ({ account }) => ({
    resources: {
        "aws:cloudwatch/logGroup:LogGroup": (args) => {
            const name = (args.inputs as MockInputs<aws.cloudwatch.LogGroupArgs, "name">).name ?? autoName(args.name);
            account.addLogGroup(name);
            return { id: name, state: { name } satisfies MockOutputs<aws.cloudwatch.LogGroup> };
        },
    },
});
