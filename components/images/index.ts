export {
    BACKEND_DIR,
    BackendImage,
    backendBuildRequest,
    resolveBackendImage,
    shortHash,
    versionOfImage,
} from "./backendImage";
export { ImageBuilder, ImageBuildRequest, ImagePullPolicy } from "./imageBuilder";
export { COPY_DIR, copyRequest, RegistryImage, registryPullPolicy, resolveRegistryImage } from "./registryImage";
export { hashDirectory } from "./sourceHash";
