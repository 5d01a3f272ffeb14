/// <reference types="vite/client" />

/** Which shell the renderer was built for; set by the Vite configs. */
declare const __HONGYAN_TARGET__: 'desktop' | 'web';
