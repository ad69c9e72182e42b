// Runs in <head>, before the page is painted: puts the reader's chosen theme
// on <html>, so a page never flashes in the other one. Without a choice, the
// stylesheet follows the system's light or dark preference.
// The `js` class lets the stylesheet keep room for what scripts add, so nothing jumps.
document.documentElement.classList.add('js')
try {
  var theme = localStorage.getItem('fieldnotes-theme')
  if (theme === 'dark' || theme === 'light') document.documentElement.setAttribute('data-theme', theme)
} catch (error) {
  // Storage can be blocked; the system preference then decides.
}
