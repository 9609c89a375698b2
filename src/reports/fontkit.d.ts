declare module 'fontkit' {
  /** The part of fontkit 2 the charts use (text layout and glyph outlines). */
  export interface Glyph {
    id: number;
    path: { toSVG(): string };
  }
  export interface GlyphPosition {
    xAdvance: number;
    yAdvance: number;
    xOffset: number;
    yOffset: number;
  }
  export interface GlyphRun {
    glyphs: Glyph[];
    positions: GlyphPosition[];
    advanceWidth: number;
  }
  export interface Font {
    unitsPerEm: number;
    familyName: string;
    layout(text: string): GlyphRun;
  }
  export function openSync(path: string): Font;
}
