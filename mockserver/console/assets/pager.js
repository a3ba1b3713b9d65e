// Paging with the APIs' markers: the console keeps the markers of the pages it has shown, so
// "previous" goes back without the API having to page backwards.
import {h} from './dom.js';

export class Pager {
  constructor(load) {
    this.load = load; // load(marker) renders a page and returns {marker, hasNext}
    this.markers = [null];
    this.next = null;
  }

  async show(index = this.markers.length - 1) {
    const page = await this.load(this.markers[index]);
    this.markers = this.markers.slice(0, index + 1);
    this.next = page.hasNext ? page.marker : null;
    return page;
  }

  controls(onChange) {
    const prev = h('button', {type: 'button', disabled: this.markers.length < 2}, 'Previous page');
    const next = h('button', {type: 'button', disabled: !this.next}, 'Next page');
    prev.addEventListener('click', async () => { await this.show(this.markers.length - 2); onChange(); });
    next.addEventListener('click', async () => { this.markers.push(this.next); await this.show(); onChange(); });
    return h('nav', {class: 'pager', 'aria-label': 'Pages'}, prev, h('span', {}, `Page ${this.markers.length}`), next);
  }
}
