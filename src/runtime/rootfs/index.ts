export { defaultHosts, INIT_LAYER_FILES, type InitFiles, writeInitLayer } from "./init-layer.js";
export { isMounted, mountOverlay, unmount } from "./mount.js";
export { MAX_MOUNT_DATA, type OverlayLayout, overlayOptions, RootfsError } from "./overlay.js";
export { readRootfsFile, resolveInRoot } from "./read-file.js";
