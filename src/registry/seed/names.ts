import {fold} from '../../naming/text.js'
import type {Rng} from './prng.js'

/**
 * Vietnamese full names for the sample's account holders: surname, one or two middle names and a given
 * name, drawn with rough real-world frequencies (Nguyễn is about 38% of the population). NFC.
 */
interface NamePart {
  text: string
  /** Folded once here: folding a million names one by one is a measurable share of the seed. */
  folded: string
}

const w = (spec: string): (readonly [NamePart, number])[] =>
  spec
    .normalize('NFC')
    .split(',')
    .map((item) => {
      const [text, weight] = item.trim().split(':')
      return [{text, folded: fold(text)}, weight === undefined ? 1 : Number(weight)] as const
    })

const SURNAMES = w(
  'Nguyễn:38, Trần:11, Lê:9.5, Phạm:7.1, Hoàng:4.1, Phan:4.5, Vũ:3.9, Võ:1, Huỳnh:1, Đặng:2.1, Bùi:2, Đỗ:1.4, ' +
    'Hồ:1.3, Ngô:1.3, Dương:1, Lý:0.5, Đinh:0.8, Trịnh:0.6, Đoàn:0.6, Lương:0.5, Mai:0.5, Cao:0.4, Hà:0.4, ' +
    'Vương:0.3, Tạ:0.3, Lâm:0.3, Lưu:0.3, Chu:0.2, Triệu:0.2, Tô:0.2, Quách:0.2, Thái:0.2, Nông:0.2, Kiều:0.1, Khúc:0.1',
)
const MALE_MIDDLE = w(
  'Văn:35, Đức:8, Minh:7, Quang:6, Hữu:6, Công:5, Thanh:5, Xuân:5, Đình:5, Ngọc:4, Duy:4, Quốc:4, Mạnh:3, Tiến:3, ' +
    'Trọng:3, Anh:3, Thế:3, Hoàng:2, Tuấn:2, Bá:2',
)
const FEMALE_MIDDLE = w(
  'Thị:55, Thu:6, Ngọc:5, Thanh:5, Hồng:4, Minh:3, Phương:3, Kim:3, Thúy:3, Mai:2, Hải:2, Bích:2, Khánh:2, Quỳnh:2, Diệu:1, Lan:1',
)
const MALE_GIVEN = w(
  'An, Anh, Bảo, Bình, Cường, Chiến, Công, Dũng, Duy, Dương, Đạt, Điệp, Định, Đông, Đức, Giang, Hải, Hào, Hiếu, ' +
    'Hiệp, Hòa, Hoàng, Hùng, Hưng, Huy, Khải, Khang, Khánh, Khoa, Kiên, Lâm, Lập, Linh, Lộc, Long, Luân, Lực, ' +
    'Mạnh, Minh, Nam, Nghĩa, Ngọc, Nhân, Phong, Phú, Phúc, Phương, Quân, Quang, Quý, Sơn, Tài, Tâm, Tân, Thắng, ' +
    'Thanh, Thành, Thiện, Thịnh, Thông, Toàn, Trí, Trung, Trường, Tú, Tuấn, Tùng, Việt, Vinh, Vũ',
)
const FEMALE_GIVEN = w(
  'An, Anh, Bích, Châu, Chi, Diệp, Dung, Duyên, Giang, Hà, Hạnh, Hằng, Hiền, Hoa, Hòa, Hồng, Huệ, Hương, Huyền, ' +
    'Lan, Liên, Linh, Loan, Ly, Mai, Minh, My, Nga, Ngân, Ngọc, Nhung, Nhàn, Oanh, Phương, Quyên, Quỳnh, Tâm, ' +
    'Thảo, Thoa, Thơm, Thu, Thủy, Thúy, Thư, Trang, Trâm, Tuyết, Uyên, Vân, Yến, Xuân',
)

export interface PersonName {
  /** `Nguyễn Thị Thu Hà` (NFC). */
  full: string
  /** `nguyenthithuha`: the base of usernames and personal addresses. */
  folded: string
}

export function randomName(rng: Rng): PersonName {
  const female = rng.next() < 0.5
  const middle = female ? FEMALE_MIDDLE : MALE_MIDDLE
  const parts = [rng.weighted(SURNAMES), rng.weighted(middle)]
  // About one name in six has a second middle name (Nguyễn Thị Thu Hà).
  if (rng.next() < 0.16) {
    const second = rng.weighted(middle)
    if (second !== parts[1] && second.text !== 'Thị' && second.text !== 'Văn') parts.push(second)
  }
  parts.push(rng.weighted(female ? FEMALE_GIVEN : MALE_GIVEN))
  return {full: parts.map((p) => p.text).join(' '), folded: parts.map((p) => p.folded).join('')}
}
