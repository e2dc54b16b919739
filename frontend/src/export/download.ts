/**
 * download hands text to the browser as a file to save, through a Blob URL
 * (nothing leaves the page), and releases the URL once the browser has it.
 */
export function download(filename: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  // The browser reads the Blob when the click's navigation starts, after
  // this task: release it in the next one.
  setTimeout(() => URL.revokeObjectURL(url));
}
