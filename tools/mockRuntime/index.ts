export { createdObject, KubernetesObject } from "./kubernetesObjects";
export { MockTable, RecordedResource, RecordingMocks } from "./recordingMocks";
export { PROJECT_DIR, ProgramRun, programMocks, resourceKey, runProgram, RunOptions } from "./runProgram";
export { resolveStackConfig } from "./stackConfig";
