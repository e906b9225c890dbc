/** MATE's nature wallpapers: all photographs (`apt-get install -y mate-backgrounds`). */
export const MATE_PHOTO_DIR = '/usr/share/backgrounds/mate/nature';

/**
 * The Plasma wallpapers that are photographs (`apt-get install -y plasma-workspace-wallpapers`);
 * the others are drawings and renders.
 */
export const PLASMA_PHOTOGRAPHS = [
  'BytheWater',
  'ColdRipple',
  'ColorfulCups',
  'DarkestHour',
  'EveningGlow',
  'FallenLeaf',
  'Grey',
  'Kite',
  'OneStandsOut',
  'Path',
  'summer_1am',
] as const;

/**
 * The Lomiri (Ubuntu Touch) wallpapers that are photographs, in `/usr/share/backgrounds`
 * (`apt-get install -y lomiri-wallpapers-16.04 lomiri-wallpapers-20.04`; CC-BY / CC-BY-SA); the
 * others are drawings and renders.
 */
export const LOMIRI_PHOTOGRAPHS = [
  'Bridge_by_Sander_Klootwijk',
  'Dragonfly_by_Bolly',
  'Kleiber_by_Lukas_Baubkus',
  'Picture_0B_by_freespace',
  'Picture_1A_by_freespace',
  'Wine_by_Jakkub_Mede',
  'aitzgorri_by_Aitzol_Berasategi',
  'free_by_Peter_Nerlich',
  'friends_by_Aitzol_Berasategi',
  'life_by_Aitzol_Berasategi',
  'picosdeeuropa_by_Aitzol_Berasategi',
  'seeding_by_Clements_Engelhardt',
  'sunset_by_Aitzol_Berasategi',
] as const;

/** How to install the default photographs (36 of them). */
export const DEBIAN_PHOTOGRAPHS_INSTALL =
  'apt-get install -y mate-backgrounds plasma-workspace-wallpapers lomiri-wallpapers-16.04 lomiri-wallpapers-20.04';

/** Where Lomiri puts its wallpapers. */
export const LOMIRI_DIR = '/usr/share/backgrounds';
