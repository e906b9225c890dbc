import { loadIdxImages } from '@selfsup/data';
import { writeBouncingItemVideos } from '@selfsup/video';
const [train, test] = await Promise.all([loadIdxImages({ split: 'train' }), loadIdxImages({ split: 'test' })]);
const motion = { frames: 24, frameSize: 48, scale: [0.8, 1.0] as [number, number], zoom: [0.25, 0.4] as [number, number], fps: 12, codec: ['h264', 'vp9'] as const, seed: 0 };
await writeBouncingItemVideos(train, '/tmp/vo-zoom/train', { ...motion, items: Array.from({ length: 300 }, (_, i) => i * 19) });
await writeBouncingItemVideos(test, '/tmp/vo-zoom/test', { ...motion, items: Array.from({ length: 100 }, (_, i) => i * 9), prefix: 'test-item' });
