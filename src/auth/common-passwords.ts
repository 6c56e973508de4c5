// The words and runs that common passwords are made of, shipped with OpenPTL (written for it from
// the well-known patterns of leaked-password lists; no list is downloaded). A password is refused
// when, lower-cased and with look-alike symbols read as letters (p@ssw0rd), its letters are only
// these words, or its characters are a run along the keyboard, the alphabet or the digits.
export const COMMON_WORDS = `
password passwd pass word secret letmein welcome hello login logon changeme default guest user
admin administrator root master test testing temp access trustno trustnoone nothing whatever
iloveyou love lovely loveme baby angel sweet honey darling forever always
qwerty qwertz azerty asdf asdfgh asdfghjkl zxcv zxcvbn zxcvbnm qazwsx qwe asd zxc abc abcd
monkey dragon tiger lion eagle shark horse puppy kitty cat dog
football soccer baseball basketball hockey golf tennis rugby cricket
liverpool arsenal chelsea everton tottenham manchester united city leeds newcastle celtic rangers
sunshine shadow princess prince king queen superman batman spiderman starwars pokemon matrix
hunter killer ninja pirate warrior soldier
charlie jordan michael jennifer ashley thomas daniel jessica robert david james john mary sarah
computer internet google facebook apple samsung microsoft windows linux
summer winter spring autumn fall
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
london england britain british wales scotland ireland
nhs nhsengland nhsdigital hospital health healthcare clinic doctor nurse patient cancer oncology
trust ward theatre surgery openptl ptl pathway
please thankyou yes no ok good bad best happy lucky money freedom flower
one two three four five six seven eight nine ten first
a i the my me you we our is to of in on at it
`
  .trim()
  .split(/\s+/);

/** Runs that keyboard and sequence passwords follow (each also read backwards). */
export const RUNS = [
  '01234567890123456789',
  'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz',
  'qwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjklzxcvbnm',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  'qazwsxedcrfvtgbyhnujmikolp',
  '1q2w3e4r5t6y7u8i9o0p',
  'zaq1xsw2cde3vfr4bgt5nhy6mju7',
];
