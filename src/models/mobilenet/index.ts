// The MobileNet family: depthwise separable convolutions (v1), inverted residuals with linear bottlenecks (v2).
export * from './mobilenet-v1.js';
export * from './mobilenet-v2.js';
