import * as aws from "@pulumi/aws";
import { ServiceMocks } from "./context";
import { arn, hex, uuid } from "./ids";
import { MockOutputs } from "./mockOutputs";

/** A KMS key: its ARN, which the cluster's envelope encryption names (and EKS refuses one that does not exist). */
export const kmsMocks: ServiceMocks = ({ account, regionOf }) => ({
    resources: {
        "aws:kms/key:Key": (args) => {
            const keyId = `mock${hex(`key/${args.name}`, 4)}-${uuid(`key/${args.name}`).slice(9)}`;
            const keyArn = arn(regionOf(args.provider, args.name), "kms", `key/${keyId}`);
            account.addKey(keyArn);
            return { id: keyId, state: { arn: keyArn } satisfies MockOutputs<aws.kms.Key> };
        },
    },
});
