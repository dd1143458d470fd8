/** The built console (index.html and assets/), which the local cloud serves; ends with a slash. */
export declare const consoleDist: string;
